using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>An in-process cluster of real silos (TestCluster, loopback sockets) plus extra client connections.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<GatewayClient> _extraClients = [];

    private BenchCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Set from <c>--poll-ms</c> before any cluster starts; the silo configurator reads it.</summary>
    public static TimeSpan? PollInterval { get; set; }

    /// <summary>Set from <c>--tls</c>: the certificates of the silos and of every client.</summary>
    public static BenchTls? Tls { get; set; }

    /// <summary>Extra silo services for the next cluster (e.g. a source adapter); the silo configurator applies it.</summary>
    public static Action<IServiceCollection>? ConfigureSiloServices { get; set; }

    public static async Task<BenchCluster> Start(int silos) => new(await InProcessCluster.StartAsync(new()
    {
        Silos = (short)silos,
        // Real loopback sockets, so extra clients can connect and latencies include the network stack.
        TcpSockets = true,
        OrleansConfig = o => o.StreamPollInterval = PollInterval ?? o.StreamPollInterval,
        Silo = silo =>
        {
            silo.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            ConfigureSiloServices?.Invoke(silo.Services);
            Tls?.ConfigureSilo(silo);
        },
        Client = client =>
        {
            Tls?.ConfigureClient(client);
            client.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        },
    }));

    /// <summary>Another client with its own connection, to gateway <paramref name="index"/> modulo the silos.</summary>
    public async Task<IClusterClient> ConnectClient(int index)
    {
        var gateways = Cluster.Silos.Select(s => s.GatewayAddress.Endpoint).ToArray();
        var connection =
            await Connect(gateways[index % gateways.Length], Cluster.Options.ClusterId, Cluster.Options.ServiceId, Tls);
        _extraClients.Add(connection);
        return connection.Client;
    }

    /// <summary>A client of its own (its own connection) to <paramref name="gateway"/>, following the union.</summary>
    public static Task<GatewayClient> Connect(IPEndPoint gateway, string clusterId, string serviceId, BenchTls? tls = null) =>
        GatewayClient.ConnectAsync(gateway, clusterId, serviceId, client =>
        {
            tls?.ConfigureClient(client);
            client.AddOrleansConfigClient();
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _extraClients) await connection.DisposeAsync();
        await InProcessCluster.StopAsync(Cluster);
    }
}
