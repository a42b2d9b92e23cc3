using Microsoft.Extensions.Logging;
using OrleansConfig.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static OrleansConfig.IntegrationTests.Api.ApiSamples;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>ApiConfigSource reading EndpointSlices (the default), through the KubernetesClient, against the fake API
/// server: each Service's slices merged into its Endpoints in the union, exactly, conditions included.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiSliceSourceTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ApiSourceHarness _h = new(cluster, output);
    private readonly List<FakeApiServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        foreach (var server in _servers) await server.DisposeAsync();
    }

    private async Task<FakeApiServer> NewServer()
    {
        var server = await FakeApiServer.StartAsync();
        _servers.Add(server);
        server.Objects.Apply(Service("web", "shop"));
        server.Objects.Apply(Slice("web-v4", "web", "shop", "IPv4",
            new("10.1.0.1", Zone: "zone-a"), new("10.1.0.2", Ready: false, Terminating: true, Zone: "zone-b")));
        server.Objects.Apply(Slice("web-v6", "web", "shop", "IPv6", new At("fd00::1")));
        server.Objects.Apply(Service("db", "team-a"));
        server.Objects.Apply(Slice("db-1", "db", "team-a", "IPv4", new At("10.2.0.1")));
        return server;
    }

    private static EndpointAddress Address(string ip, string pod, string? zone = null) => new()
    {
        Ip = ip,
        NodeName = "node-1",
        Zone = zone,
        ForZones = zone is null ? [] : [zone],
        TargetRef = new ObjectReference { Kind = "Pod", Namespace = pod.Split('/')[0], Name = pod.Split('/')[1] },
    };

    private Task<bool> UnionHolds(string name, string what, Func<Manifest, bool> holds) =>
        Eventually.Get(() => _h.Union(name), holds, ApiSourceHarness.Timeout, what).ContinueWith(_ => true, TaskScheduler.Default);

    [Fact]
    public async Task The_union_holds_each_services_merged_slices_exactly_with_their_conditions_and_no_v1_endpoints_are_read()
    {
        var server = await NewServer();
        var name = _h.NewName();
        await _h.Start(name, server);

        await _h.Reflects(name, server, "the first lists", slices: true);
        var web = (await _h.Union(name)).Endpoints.Single(e => e.Key() == new ObjectKey("shop", "web"));
        Assert.Equal(new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = "shop", Name = "web" },
            Subsets =
            [
                new EndpointSubset
                {
                    Addresses = [Address("10.1.0.1", "shop/web-10.1.0.1", "zone-a"), Address("fd00::1", "shop/web-fd00::1")],
                    // Not ready, still serving while it terminates.
                    NotReadyAddresses = [Address("10.1.0.2", "shop/web-10.1.0.2", "zone-b") with { Serving = true, Terminating = true }],
                    Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                },
            ],
        }.WithSource(name), web);

        Assert.Equal(
        [
            "/api/v1/services?limit=500&watch=false",
            "/apis/discovery.k8s.io/v1/endpointslices?limit=500&watch=false",
        ], server.Requests.Where(r => !r.Contains("watch=true", StringComparison.Ordinal)));
        await Eventually.Until(() => server.Objects.OpenWatches("endpointslices") == 1, timeout: ApiSourceHarness.Timeout,
            what: "the slices watch");
        Assert.Contains($"/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true&resourceVersion={server.Objects.Version}" +
            "&timeoutSeconds=300&watch=true", server.Requests);
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("/api/v1/endpoints", StringComparison.Ordinal));
        Assert.DoesNotContain(_h.WatcherLogs.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Slice_events_move_addresses_a_deleted_slice_takes_only_its_own_and_the_last_one_the_endpoints()
    {
        var server = await NewServer();
        var name = _h.NewName();
        var source = await _h.Start(name, server);
        await _h.Reflects(name, server, "the first lists", slices: true);

        // 10.1.0.1 moves from web-v4 to a new slice: added there first, then dropped from the old one.
        server.Objects.Apply(Slice("web-v4b", "web", "shop", "IPv4", new At("10.1.0.1", Zone: "zone-a")));
        server.Objects.Apply(Slice("web-v4", "web", "shop", "IPv4", new At("10.1.0.2", Ready: false, Terminating: true)));
        await _h.Reflects(name, server, "the moved address", slices: true);
        await UnionHolds(name, "10.1.0.1 once, ready", u => u.Endpoints.Single(e => e.Key().Name == "web").Subsets[0].Addresses
            .Select(a => a.Ip).SequenceEqual(["10.1.0.1", "fd00::1"]));

        server.Objects.Delete("endpointslices", "shop", "web-v6");
        await _h.Reflects(name, server, "the IPv6 slice deleted", slices: true);
        var web = (await _h.Union(name)).Endpoints.Single(e => e.Key().Name == "web");
        Assert.Equal(["10.1.0.1"], web.Subsets[0].Addresses.Select(a => a.Ip));

        server.Objects.Delete("endpointslices", "team-a", "db-1");
        await _h.Reflects(name, server, "db's last slice deleted", slices: true);
        Assert.DoesNotContain((await _h.Union(name)).Endpoints, e => e.Key().Name == "db");
        Assert.Equal(2, _h.Meters(source).Lists);
    }

    [Fact]
    public async Task A_bookmark_moves_the_slices_version_on_and_a_410_relists_them()
    {
        var server = await NewServer();
        var name = _h.NewName();
        var source = await _h.Start(name, server);
        await _h.Reflects(name, server, "the first lists", slices: true);
        await Eventually.Until(() => server.Objects.OpenWatches("endpointslices") == 1 && server.Objects.OpenWatches("services") == 1,
            timeout: ApiSourceHarness.Timeout, what: "the watches");

        // Services change: the slices' watch sees only a bookmark, and watches again from it.
        server.Objects.Apply(Service("other", "shop"));
        server.Objects.Bookmark();
        var bookmarked = server.Objects.Version.ToString();
        await Eventually.Until(() => _h.Meters(source).Bookmarks >= 2, timeout: ApiSourceHarness.Timeout, what: "the bookmarks");
        server.Objects.EndWatches();
        await Eventually.Until(() => server.WatchesOf("endpointslices").Length == 2, timeout: ApiSourceHarness.Timeout,
            what: "the slices watched again");
        Assert.Equal(bookmarked, server.WatchesOf("endpointslices")[^1]);

        // The connections drop; the history is gone when the watches come back: 410, a relist, and what changed meanwhile.
        server.Objects.HoldWatches();
        server.Objects.DropWatches();
        await Eventually.Until(() => server.HeldWatches == 2, timeout: ApiSourceHarness.Timeout, what: "both watches again");
        server.Objects.Apply(Slice("web-v6", "web", "shop", "IPv6", new At("fd00::2")));
        server.Objects.Delete("endpointslices", "team-a", "db-1");
        server.Objects.Compact();
        server.Objects.ReleaseWatches();
        await _h.Reflects(name, server, "after the 410", slices: true);
        Assert.Equal(2, _h.Meters(source).Expired);
        Assert.Equal(2, server.ListsOf("endpointslices"));
        Assert.Null((await _h.Grains.GetSource(name).GetStatus()).LastError);
    }

    [Fact]
    public async Task A_namespaced_source_lists_and_watches_its_namespaces_slices_on_their_paths()
    {
        var server = await NewServer();
        var name = _h.NewName();
        await _h.Start(name, server, o => o.Namespaces = "team-a");

        await _h.Reflects(name, server, "the first lists", ["team-a"], slices: true);
        await Eventually.Until(() => server.Objects.OpenWatches("endpointslices") == 1, timeout: ApiSourceHarness.Timeout,
            what: "the slices watch");
        Assert.Equal(
        [
            "/api/v1/namespaces/team-a/services?limit=500&watch=false",
            "/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices?limit=500&watch=false",
        ], server.Requests.Where(r => !r.Contains("watch=true", StringComparison.Ordinal)));
        Assert.Contains(server.Requests, r =>
            r.StartsWith("/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices?allowWatchBookmarks=true", StringComparison.Ordinal));

        server.Objects.Apply(Slice("db-2", "db", "team-a", "IPv4", new At("10.2.0.2")));
        server.Objects.Apply(Slice("web-v4", "web", "shop", "IPv4", new At("10.1.0.9")));
        await _h.Reflects(name, server, "the watched change", ["team-a"], slices: true);
    }

    [Fact]
    public async Task Selectors_reach_the_slices_as_their_services_labels_and_namespace()
    {
        var server = await NewServer();
        var name = _h.NewName();
        await _h.Start(name, server, o =>
        {
            o.LabelSelector = "!legacy";
            o.FieldSelector = "metadata.name!=db,metadata.namespace!=kube-system";
        });

        await _h.StatusBecomes(name, s => s.Synced, "the first lists");
        Assert.Contains(
            "/apis/discovery.k8s.io/v1/endpointslices?fieldSelector=metadata.namespace%21%3Dkube-system" +
            "&labelSelector=%21legacy%2Ckubernetes.io%2Fservice-name%21%3Ddb&limit=500&watch=false",
            server.Requests);
        Assert.Contains(
            "/api/v1/services?fieldSelector=metadata.name%21%3Ddb%2Cmetadata.namespace%21%3Dkube-system&labelSelector=%21legacy" +
            "&limit=500&watch=false",
            server.Requests);
    }
}
