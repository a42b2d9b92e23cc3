using Orleans.TestingHost;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>A one-silo cluster whose union stream loses, duplicates and reorders messages.</summary>
public sealed class FaultyStreamCluster : IAsyncLifetime
{
    internal static readonly FaultyStream Faults = new(seed: 7);

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    // The decorator replaces the union stream's registration, so it runs after AddOrleansConfig (as the Silo knob does).
    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new()
    {
        Silos = 1,
        Silo = silo => FaultyQueueAdapter.Decorate(silo.Services, Faults),
    });

    public Task DisposeAsync() => InProcessCluster.StopAsync(Cluster);
}
