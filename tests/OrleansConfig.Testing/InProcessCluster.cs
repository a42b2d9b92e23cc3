using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace OrleansConfig.Testing;

/// <summary>The knobs in which the in-process clusters of the tests and benchmarks differ.</summary>
public sealed record InProcessClusterOptions
{
    public short Silos { get; init; } = 2;

    /// <summary>Real loopback sockets instead of in-memory transport, so extra clients can connect.</summary>
    public bool TcpSockets { get; init; }

    public Action<OrleansConfigSiloOptions>? OrleansConfig { get; init; }

    /// <summary>Runs on each silo after <c>AddOrleansConfig</c>.</summary>
    public Action<ISiloBuilder>? Silo { get; init; }

    /// <summary>Runs on each client before <c>AddOrleansConfigClient</c>.</summary>
    public Action<IClientBuilder>? Client { get; init; }
}

/// <summary>
/// Starts a TestCluster of OrleansConfig silos in this process, with a client, its logs in a temporary folder.
/// TestingHost makes configurators by type, so they find the cluster's options by its cluster id.
/// </summary>
public static class InProcessCluster
{
    private static readonly ConcurrentDictionary<string, InProcessClusterOptions> Started = new();

    public static async Task<TestCluster> StartAsync(InProcessClusterOptions options)
    {
        var builder = new TestClusterBuilder(options.Silos);
        TestClusterLogs.WriteToTemporaryFolder(builder);
        if (options.TcpSockets) builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        Started[builder.Options.ClusterId] = options;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        Started.TryRemove(cluster.Options.ClusterId, out _);
    }

    private static InProcessClusterOptions Of(IConfiguration configuration) => Started[configuration["Orleans:ClusterId"]!];

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var options = Of(siloBuilder.Configuration);
            siloBuilder.AddOrleansConfig(options.OrleansConfig);
            options.Silo?.Invoke(siloBuilder);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            Of(configuration).Client?.Invoke(clientBuilder);
            clientBuilder.AddOrleansConfigClient();
        }
    }
}
