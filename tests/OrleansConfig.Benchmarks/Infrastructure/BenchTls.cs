using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Client;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Security;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>
/// <c>--tls</c>: a throwaway CA, a silo certificate and a client certificate; the silos run mutual TLS on both ports with
/// authorization on (the client may write every source), as a production cluster does.
/// </summary>
internal sealed class BenchTls : IDisposable
{
    private const string SiloName = "bench-silo";
    private const string ClientName = "bench-client";

    private readonly string _directory;

    private BenchTls(string directory, ClusterCertificates silo, ClusterCertificates client)
    {
        _directory = directory;
        Silo = silo;
        Client = client;
    }

    public ClusterCertificates Silo { get; }

    public ClusterCertificates Client { get; }

    public static BenchTls Create()
    {
        var directory = Directory.CreateTempSubdirectory("oc-bench-tls-").FullName;
        using var pki = new TestPki(directory, "bench-ca");
        var silo = pki.Issue(SiloName, [TestPki.ServerAuth, TestPki.ClientAuth], loopbackNames: true);
        var client = pki.Issue(ClientName, [TestPki.ClientAuth]);
        return new BenchTls(
            directory,
            ClusterCertificates.Load(new TlsFiles(silo.CertFile, silo.KeyFile, pki.CaFile)),
            ClusterCertificates.Load(new TlsFiles(client.CertFile, client.KeyFile, pki.CaFile)));
    }

    public void ConfigureSilo(ISiloBuilder silo)
    {
        silo.UseClusterTls(Silo, new HashSet<string> { SiloName });
        silo.Services.Configure<AccessOptions>(o =>
            o.Authorization = new AuthorizationOptions { Writers = { ["*"] = ClientName }, Admins = ClientName });
    }

    public void ConfigureClient(IClientBuilder client) => client.UseClusterTls(Client);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
