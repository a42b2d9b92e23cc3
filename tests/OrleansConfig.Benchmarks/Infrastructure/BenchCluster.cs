using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>An in-process cluster of real silos (TestCluster, loopback sockets) plus extra client connections.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<IHost> _extraClients = [];

    private BenchCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<BenchCluster> Start(int silos)
    {
        var builder = new TestClusterBuilder((short)silos);
        // Real loopback sockets, so extra clients can connect and latencies include the network stack.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchCluster(cluster);
    }

    /// <summary>Another client with its own connection, to gateway <paramref name="index"/> modulo the silos.</summary>
    public async Task<IClusterClient> ConnectClient(int index)
    {
        var gateways = Cluster.Silos.Select(s => s.GatewayAddress.Endpoint).ToArray();
        var gateway = gateways[index % gateways.Length];
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering(gateway);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = Cluster.Options.ClusterId;
                    o.ServiceId = Cluster.Options.ServiceId;
                });
                client.AddOrleansConfigClient();
            })
            .Build();
        await host.StartAsync();
        _extraClients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _extraClients)
        {
            await host.StopAsync();
            host.Dispose();
        }
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansConfig();
            siloBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.AddOrleansConfigClient();
            clientBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
