using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>One two-silo TestCluster shared by a collection of tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private int _counter;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>
    /// A silo's own grain factory: calls through it come from inside the silo, as those of the sources a silo runs
    /// (file, etcd, API) do. An outside client may not call the doors those sources use (ISourceGrain.ReportError).
    /// </summary>
    public IGrainFactory SiloGrains => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The one source whose Sets may remove at most half of its items unless forced.</summary>
    public const string GuardedSource = "guarded";

    /// <summary>The one source that turns stale after a second of silence (its items stay).</summary>
    public const string QuietSource = "quiet";

    /// <summary>The one source that turns stale after a second of silence and is dropped after three.</summary>
    public const string DroppingSource = "dropping";

    /// <summary>A source-name prefix no other test uses, so tests can assert their exact slice of the shared union.</summary>
    public string NewPrefix() => $"t{Interlocked.Increment(ref _counter)}-";

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new()
    {
        Silos = 2,
        Silo = silo =>
        {
            silo.Services.Configure<Validation.DeletionGuardOptions>(o => o.Sources[GuardedSource] = 50);
            silo.Services.Configure<SourceLifetimeOptions>(o =>
            {
                o.Sources[QuietSource] = new SourceLifetime { StaleAfter = TimeSpan.FromSeconds(1) };
                o.Sources[DroppingSource] =
                    new SourceLifetime { StaleAfter = TimeSpan.FromSeconds(1), DropAfter = TimeSpan.FromSeconds(3) };
            });
        },
    });

    public Task DisposeAsync() => InProcessCluster.StopAsync(Cluster);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
