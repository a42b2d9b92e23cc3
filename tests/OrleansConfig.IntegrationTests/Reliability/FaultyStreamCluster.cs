using OrleansConfig.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>A one-silo cluster whose union stream loses, duplicates and reorders messages.</summary>
public sealed class FaultyStreamCluster : IAsyncLifetime
{
    internal static readonly FaultyStream Faults = new(seed: 7);

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        TestClusterLogs.WriteToTemporaryFolder(builder);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansConfig();
            FaultyQueueAdapter.Decorate(siloBuilder.Services, Faults);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddOrleansConfigClient();
    }
}
