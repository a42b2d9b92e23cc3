using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>How the source reaches etcd: several endpoints, username and password, TLS with a client certificate.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EtcdConnectionTests(ClusterFixture cluster, EtcdServer etcd, ITestOutputHelper output)
    : IClassFixture<EtcdServer>, IAsyncLifetime
{
    private readonly EtcdSourceHarness _h = new(cluster, output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Several_endpoints_keep_working_while_one_is_down()
    {
        var name = _h.NewName();
        var dead = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";

        var running = await _h.Start(name, $"{dead},{etcd.Endpoint}");
        await etcd.PutAsync(running.Keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));

        await _h.StateBecomes(name, "svc a/web:80");
    }

    [Fact]
    public async Task Username_and_password_authenticate_and_a_wrong_password_is_reported()
    {
        var own = new EtcdServer();
        await own.InitializeAsync();
        try
        {
            await own.EtcdctlAsync(null, "user", "add", "root", "--new-user-password=secret");
            await own.EtcdctlAsync(null, "user", "grant-role", "root", "root");
            await own.EtcdctlAsync(null, "auth", "enable");
            var name = _h.NewName();
            var keys = new EtcdValues("/" + name);
            await own.EtcdctlAsync(null, "--user=root:secret", "put", keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));

            await _h.Start(name, own.Endpoint, o => (o.Username, o.Password) = ("root", "secret"));
            await _h.StateBecomes(name, "svc a/web:80");
            await own.EtcdctlAsync(null, "--user=root:secret", "put", keys.ServiceKey("a", "api"), EtcdValues.Service("api", "a"));
            await _h.StateBecomes(name, "svc a/api:80", "svc a/web:80");

            var refused = _h.NewName();
            await _h.NewSource(refused, own.Endpoint, o => (o.Username, o.Password) = ("root", "wrong"))
                .Source.StartAsync(CancellationToken.None);
            var status = await _h.StatusBecomes(refused, s => s.LastError is not null, "the refusal to be reported");
            Assert.StartsWith("etcd: ", status.LastError);
            Assert.False(status.Synced);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Tls_with_a_ca_and_a_client_certificate_connects_and_an_untrusted_server_is_refused()
    {
        var own = new EtcdServer { Tls = true };
        await own.InitializeAsync();
        try
        {
            var tls = own.Certificates!;
            var name = _h.NewName();
            var running =
                await _h.Start(name, own.Endpoint, o =>
                (o.CaFile, o.CertFile, o.KeyFile) = (tls.CaFile, tls.ClientCertFile, tls.ClientKeyFile));
            await own.EtcdctlAsync(null, "put", running.Keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
            await _h.StateBecomes(name, "svc a/web:80");

            // Without the CA file the system's trust store does not know this CA.
            var untrusting = _h.NewName();
            await _h.NewSource(untrusting, own.Endpoint, o => (o.CertFile, o.KeyFile) = (tls.ClientCertFile, tls.ClientKeyFile))
                .Source.StartAsync(CancellationToken.None);
            var status = await _h.StatusBecomes(untrusting, s => s.LastError is not null, "the untrusted server to be reported");
            Assert.StartsWith("etcd: ", status.LastError);
            Assert.False(status.Synced);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }
}
