using OrleansConfig.IntegrationTests.Infrastructure;
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
    private readonly List<ClientConnection> _extraClients = [];

    private BenchCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Set from <c>--poll-ms</c> before any cluster starts; the silo configurator reads it.</summary>
    public static TimeSpan? PollInterval { get; set; }

    /// <summary>Set from <c>--tls</c>: the certificates of the silos and of every client.</summary>
    public static BenchTls? Tls { get; set; }

    /// <summary>Extra silo services for the next cluster (e.g. a source adapter); the silo configurator applies it.</summary>
    public static Action<IServiceCollection>? ConfigureSiloServices { get; set; }

    public static async Task<BenchCluster> Start(int silos)
    {
        var builder = new TestClusterBuilder((short)silos);
        TestClusterLogs.WriteToTemporaryFolder(builder);
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
        var connection =
            await ClientConnection.Connect(gateways[index % gateways.Length], Cluster.Options.ClusterId, Cluster.Options.ServiceId, Tls);
        _extraClients.Add(connection);
        return connection.Client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _extraClients) await connection.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansConfig(o => o.StreamPollInterval = PollInterval ?? o.StreamPollInterval);
            siloBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            ConfigureSiloServices?.Invoke(siloBuilder.Services);
            Tls?.ConfigureSilo(siloBuilder);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            Tls?.ConfigureClient(clientBuilder);
            clientBuilder.AddOrleansConfigClient();
            clientBuilder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
