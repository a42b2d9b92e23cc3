using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files.</summary>
internal sealed record TestCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile,
    string ClientKeyFile)
{
    public static TestCertificates Create(string directory)
    {
        using var pki = new TestPki(directory, "ca");
        var server = pki.Issue("127.0.0.1", [TestPki.ServerAuth], "server", loopbackNames: true);
        var client = pki.Issue("orleansconfig", [TestPki.ClientAuth], "client");
        return new TestCertificates(pki.CaFile, server.CertFile, server.KeyFile, client.CertFile, client.KeyFile);
    }
}
