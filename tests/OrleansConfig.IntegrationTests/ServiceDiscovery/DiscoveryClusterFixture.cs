using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansConfig.Validation;

namespace OrleansConfig.IntegrationTests.ServiceDiscovery;

/// <summary>
/// A one-silo TestCluster that admits loopback endpoint addresses, as the standalone silo does by default: the
/// discovery tests' backends listen on 127.0.0.1, which the shared cluster refuses (its hostile-input tests need that).
/// </summary>
public sealed class DiscoveryClusterFixture : IAsyncLifetime
{
    private int _counter;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>A name prefix no other test of the collection uses.</summary>
    public string NewPrefix() => $"d{Interlocked.Increment(ref _counter)}-";

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
    {
        Silos = 1,
        Silo = silo => silo.Services.Configure<ValidationOptions>(o => o.AllowSpecialAddresses = true),
    });

    public Task DisposeAsync() => InProcessCluster.StopAsync(Cluster);
}

[CollectionDefinition(Name)]
public sealed class DiscoveryClusterCollection : ICollectionFixture<DiscoveryClusterFixture>
{
    public const string Name = "discovery";
}
