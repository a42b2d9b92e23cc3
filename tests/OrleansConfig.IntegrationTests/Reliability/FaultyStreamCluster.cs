using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansConfig.Streaming;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>A one-silo cluster whose union stream loses, duplicates and reorders messages.</summary>
public sealed class FaultyStreamCluster : IAsyncLifetime
{
    internal static readonly FaultyStream Faults = new(seed: 7);

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new()
    {
        Silos = 1,
        Silo = silo => silo.Services.AddSingleton<IUnionStreamFaults>(Faults),
    });

    public Task DisposeAsync() => InProcessCluster.StopAsync(Cluster);
}
