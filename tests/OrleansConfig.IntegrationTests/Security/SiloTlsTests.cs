using System.Security.Cryptography.X509Certificates;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Security;

namespace OrleansConfig.IntegrationTests.Security;

/// <summary>Who each of a TLS silo's ports admits, as the TLS handshake asks it (the silo process tests show the rest).</summary>
public sealed class SiloTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oc-silo-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_silo_port_admits_only_silo_identities_of_the_cluster_ca_and_the_gateway_any_certificate_of_it()
    {
        using var pki = new TestPki(Path.Combine(_directory, "cluster"), "cluster-ca");
        using var other = new TestPki(Path.Combine(_directory, "other"), "other-ca");
        var silo = pki.Issue("orleans-config-silo", [TestPki.ServerAuth, TestPki.ClientAuth], loopbackNames: true);
        var certificates = ClusterCertificates.Load(new TlsFiles(silo.CertFile, silo.KeyFile, pki.CaFile));
        X509Certificate2 Load(TestPki.Issued issued) => X509Certificate2.CreateFromPem(File.ReadAllText(issued.CertFile));
        using var sameName = Load(silo);
        using var intruder = Load(pki.Issue("reader", [TestPki.ServerAuth, TestPki.ClientAuth]));
        using var foreignSilo = Load(other.Issue("orleans-config-silo", [TestPki.ServerAuth, TestPki.ClientAuth]));

        var siloPort =
            SiloTls.Options(certificates, peer => ClusterCertificates.IdentityOf(peer) == "orleans-config-silo")
            .RemoteCertificateValidation!;
        var gateway = SiloTls.Options(certificates, _ => true).RemoteCertificateValidation!;

        Assert.True(siloPort(sameName, null, default));
        Assert.False(siloPort(intruder, null, default));
        Assert.False(siloPort(foreignSilo, null, default));
        Assert.True(gateway(intruder, null, default));
        Assert.False(gateway(foreignSilo, null, default));
    }
}
