using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Testing;
using Orleans.TestingHost;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Grains;

/// <summary>A cluster whose aggregator sends at most five items a page, so every union here spans many pages.</summary>
public sealed class SmallPageCluster : IAsyncLifetime
{
    public const int PageItems = 5;

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(new()
    {
        Silos = 1,
        Silo = silo => silo.Services.Configure<SnapshotOptions>(o => o.MaxPageItems = PageItems),
    });

    public Task DisposeAsync() => InProcessCluster.StopAsync(Cluster);
}

/// <summary>Snapshots read in pages: one version per read, and subscribers exact while changes flow.</summary>
public sealed class PagedSnapshotTests(SmallPageCluster fixture) : IClassFixture<SmallPageCluster>
{
    private IClusterClient Client => fixture.Cluster.Client;

    private static SourceUpdate Both(Operation op, IEnumerable<string> names) => new()
    {
        Services = new ServiceUpdate(op, [.. names.Select(n => Service(n))]),
        Endpoints = new EndpointsUpdate(op, [.. names.Select(n => Endpoints(n, "default", "10.1.0.1", "10.1.0.2", "10.1.0.3"))]),
    };

    private static IEnumerable<string> Names(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}{i:D2}");

    [Fact]
    public async Task Every_page_of_one_read_is_at_the_version_it_began_at_while_the_union_changes()
    {
        Assert.True((await Client.GetSource("pages-a").Apply(Both(Operation.Set, Names("a", 12)))).Accepted);
        var aggregator = Client.GetAggregator();
        var began = await aggregator.GetSnapshot();

        var first = await aggregator.GetSnapshotPage(ConfigKinds.All, null, 100);
        Assert.True((await Client.GetSource("pages-b").Apply(Both(Operation.Add, Names("b", 3)))).Accepted);
        Assert.True((await Client.GetSource("pages-a").Apply(new ServiceUpdate(Operation.Remove, [Service("a00")]))).Accepted);
        List<UnionSnapshotPage> pages = [first];
        while (pages[^1].Continue is { } next) pages.Add(await aggregator.GetSnapshotPage(ConfigKinds.All, next, 100));

        Assert.All(pages, p => Assert.Equal(began.Version, p.Version));
        Assert.Equal(Enumerable.Repeat(SmallPageCluster.PageItems, pages.Count - 1),
            pages.SkipLast(1).Select(p => p.Services.Count + p.Endpoints.Count));
        Assert.Equal(DescribeSorted(began.Services), DescribeSorted(pages.SelectMany(p => p.Services)));
        Assert.Equal(DescribeSorted(began.Endpoints), DescribeSorted(pages.SelectMany(p => p.Endpoints)));
        var now = await aggregator.ReadSnapshotAsync();
        Assert.Equal(await aggregator.GetVersion(), now.Version);
        Assert.Contains("default/b02@pages-b", now.Services.Describe());
        Assert.DoesNotContain("default/a00@pages-a", now.Services.Describe());
    }

    [Fact]
    public async Task A_union_of_many_pages_reaches_new_subscribers_exactly_while_changes_flow()
    {
        Assert.True((await Client.GetSource("flow-base").Apply(Both(Operation.Set, Names("base", 30)))).Accepted);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            // Adds and removes on another source, one change at a time, while the subscribers read their pages.
            var source = Client.GetSource("flow-churn");
            for (var i = 0; i < 80; i++)
            {
                await source.Apply(Both(Operation.Add, [$"c{i:D2}"]));
                if (i % 4 == 3) await source.Apply(Both(Operation.Remove, [$"c{i - 1:D2}"]));
            }
        });
        var services = new RecordingHandler<Service>("flow-");
        var endpoints = new RecordingHandler<Endpoints>("flow-");
        await using var serviceConfig = new ServiceConfig(Client);
        await using var endpointsConfig = new EndpointsConfig(Client);
        serviceConfig.RegisterHandler(services);
        endpointsConfig.RegisterHandler(endpoints);
        await serviceConfig.WaitForSyncAsync();
        await endpointsConfig.WaitForSyncAsync();
        await writer;

        var churned = Enumerable.Range(0, 80).Where(i => i % 4 != 2).Select(i => $"default/c{i:D2}@flow-churn");
        string[] expected = [.. Names("base", 30).Select(n => $"default/{n}@flow-base").Concat(churned).Order(StringComparer.Ordinal)];
        await services.Sees(expected);
        await endpoints.Sees(expected);
    }
}
