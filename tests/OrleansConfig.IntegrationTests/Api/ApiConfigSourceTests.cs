using System.Diagnostics;
using OrleansConfig.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>ApiConfigSource reading v1 Endpoints (<c>EndpointsFrom=Endpoints</c>), through the KubernetesClient, against the
/// fake API server, feeding the shared two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiConfigSourceTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ApiSourceHarness _h = new(cluster, output);
    private readonly List<FakeApiServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        foreach (var server in _servers) await server.DisposeAsync();
    }

    // These tests follow v1 Endpoints; ApiSliceSourceTests follows EndpointSlices (the default).
    private Task<ApiConfigSource> Start(string name, FakeApiServer server, Action<ApiSourceOptions>? configure = null) =>
        _h.Start(name, server, o =>
        {
            o.EndpointsFrom = "Endpoints";
            configure?.Invoke(o);
        });

    private async Task<FakeApiServer> NewServer()
    {
        var server = await FakeApiServer.StartAsync();
        _servers.Add(server);
        foreach (var sample in ApiSamples.Kubectl) server.Objects.Apply(ApiSamples.Read(sample));
        server.Objects.Apply(ApiSamples.Endpoints("web", "default", "10.1.0.1", "10.1.0.2"));
        server.Objects.Apply(ApiSamples.Endpoints("api", "team-a", "10.2.0.1"));
        return server;
    }

    [Fact]
    public async Task A_namespaced_source_lists_and_watches_each_namespace_on_its_own_and_serves_only_their_items()
    {
        var server = await NewServer();
        server.Objects.Apply(ApiSamples.Endpoints("db", "team-b", "10.4.0.1"));
        var name = _h.NewName();
        string[] namespaces = ["team-a", "team-b"];
        var source = await Start(name, server, o => o.Namespaces = " team-a, team-b,team-a ");

        await _h.Reflects(name, server, "the first lists", namespaces);
        var listed = server.Objects.Version;
        Assert.Equal(
            [.. namespaces.SelectMany(ns => new[] { "services", "endpoints" }.Select(r => (ns, r)))
                .Select(p => $"/api/v1/namespaces/{p.ns}/{p.r}?limit=500&watch=false")
                .OrderBy(r => r, StringComparer.Ordinal)],
            server.Requests.Where(r => !r.Contains("watch=true", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        await Eventually.Until(() => server.Requests.Count(r => r.Contains("watch=true", StringComparison.Ordinal)) == 4,
            timeout: ApiSourceHarness.Timeout, what: "a watch per namespace and kind");
        Assert.Equal(
            [.. namespaces.SelectMany(ns => new[] { "services", "endpoints" }.Select(r => (ns, r)))
                .Select(p => $"/api/v1/namespaces/{p.ns}/{p.r}?allowWatchBookmarks=true&resourceVersion={listed}&timeoutSeconds=300&watch=true")
                .OrderBy(r => r, StringComparer.Ordinal)],
            server.Requests.Where(r => r.Contains("watch=true", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("/api/v1/services", StringComparison.Ordinal) ||
            r.StartsWith("/api/v1/endpoints", StringComparison.Ordinal));

        // Changes in each namespace are watched; the default namespace's are not served.
        server.Objects.Apply(ApiSamples.Service("cache", "team-b", port: 6379));
        server.Objects.Apply(ApiSamples.Endpoints("api", "team-a", "10.2.0.9"));
        server.Objects.Apply(ApiSamples.Service("other", "default"));
        server.Objects.Delete("endpoints", "team-b", "db");
        await _h.Reflects(name, server, "the watched changes", namespaces);

        // team-b's history is lost while its watches are down: team-b lists again and drops what went, team-a keeps its items.
        server.Objects.HoldWatches();
        server.Objects.DropWatches();
        await Eventually.Until(() => server.HeldWatches == 4, timeout: ApiSourceHarness.Timeout, what: "the four watches again");
        server.Objects.Delete("services", "team-b", "db");
        server.Objects.Apply(ApiSamples.Service("late", "team-b"));
        server.Objects.Compact();
        server.Objects.ReleaseWatches();
        await _h.Reflects(name, server, "after the 410s", namespaces);
        Assert.Equal(["team-a/api", "team-b/cache", "team-b/late"], (await _h.Union(name)).Services.Select(s => s.Key().ToString()));
        Assert.Equal(4, _h.Meters(source).Expired);
        Assert.Null((await _h.Grains.GetSource(name).GetStatus()).LastError);
    }

    [Fact]
    public async Task The_source_reflects_the_servers_objects_exactly_across_changes_a_410_and_dropped_connections()
    {
        var server = await NewServer();
        var name = _h.NewName();
        var source = await Start(name, server);

        await _h.Reflects(name, server, "the first lists");
        var status = await _grains().GetStatus();
        Assert.True(status.Synced);
        Assert.Null(status.LastError);
        // Kubernetes 1.33+ warns on every v1 Endpoints read; the source says so once.
        Assert.Equal(
            [$"api source: the API server warns, reading /api/v1/endpoints: {FakeApiServer.EndpointsDeprecation}"],
            _h.WatcherLogs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message));

        // Changes across namespaces, as watch events.
        server.Objects.Apply(ApiSamples.Service("cache", "team-c", port: 6379));
        server.Objects.Apply(ApiSamples.Service("web", "default", port: 8080));
        server.Objects.Delete("services", "team-b", "db");
        server.Objects.Apply(ApiSamples.Endpoints("web", "default", "10.1.0.3"));
        server.Objects.Delete("endpoints", "team-a", "api");
        await _h.Reflects(name, server, "the watched changes");
        Assert.Equal(2, _h.Meters(source).Lists);

        // The connections drop; before the watches are made again, the server changes and forgets the history.
        server.Objects.HoldWatches();
        server.Objects.DropWatches();
        await Eventually.Until(() => server.HeldWatches == 2,
            timeout: ApiSourceHarness.Timeout, what: "both watches to be asked for again");
        server.Objects.Apply(ApiSamples.Service("late", "team-c"));
        server.Objects.Delete("services", "team-c", "cache");
        server.Objects.Apply(ApiSamples.Endpoints("late", "team-c", "10.3.0.1"));
        server.Objects.Compact();
        server.Objects.ReleaseWatches();
        await _h.Reflects(name, server, "after the 410");
        Assert.Equal(2, _h.Meters(source).Expired);
        Assert.Equal(4, _h.Meters(source).Lists);

        // An ERROR 410 on open watches, and watches the server ends: only the first lists again.
        server.Objects.ExpireWatches();
        await Eventually.Until(() => _h.Meters(source).Lists == 6,
            timeout: ApiSourceHarness.Timeout, what: "the lists after the ERROR events");
        await Eventually.Until(() => server.Objects.OpenWatches("services") == 1 && server.Objects.OpenWatches("endpoints") == 1,
            timeout: ApiSourceHarness.Timeout, what: "the watches");
        server.Objects.EndWatches();
        server.Objects.Apply(ApiSamples.Service("after-end", "team-c"));
        await _h.Reflects(name, server, "after the watches ended");
        Assert.Equal(6, _h.Meters(source).Lists);
        Assert.Equal(2, _h.Meters(source).Failures);
        Assert.Null((await _grains().GetStatus()).LastError);

        ISourceGrain _grains() => _h.Grains.GetSource(name);
    }

    [Fact]
    public async Task A_server_outage_is_reported_keeps_the_state_and_the_source_converges_when_it_is_back()
    {
        var server = await NewServer();
        var name = _h.NewName();
        var source = await Start(name, server);
        await _h.Reflects(name, server, "the first lists");
        var before = await _h.State(name);

        await server.StopAsync();
        var status = await _h.StatusBecomes(name, s => s.LastError is not null, "the outage to be reported");
        Assert.StartsWith("api: ", status.LastError);
        Assert.Equal(before, await _h.State(name));

        server.Objects.Apply(ApiSamples.Service("added-meanwhile", "team-c"));
        server.Objects.Delete("services", "default", "web");
        var clock = Stopwatch.StartNew();
        await server.StartAgainAsync();

        await _h.Reflects(name, server, "after the outage");
        output.WriteLine($"server back -> changes made meanwhile in the union: {clock.Elapsed.TotalMilliseconds:0} ms (retry cap 400 ms)");
        await _h.StatusBecomes(name, s => s.LastError is null, "the error to clear");
        Assert.True(_h.Meters(source).Failures > 0);
    }

    [Fact]
    public async Task Bad_objects_are_skipped_counted_and_the_rest_reflected()
    {
        var server = await FakeApiServer.StartAsync();
        _servers.Add(server);
        server.Objects.Apply(ApiSamples.Read("kubectl-web.json"));
        server.Objects.Apply(ApiSamples.Service("too-big", port: 70000));
        var name = _h.NewName();
        var source = await Start(name, server);

        await Eventually.Get(() => _h.State(name), s => s.Services.Select(x => x.Key().Name).SequenceEqual(["web"]), ApiSourceHarness.Timeout, "the good service");
        Assert.Equal(1, _h.Meters(source).BadValues);

        server.Objects.Apply(ApiSamples.Service("too-big", port: 7000));
        server.Objects.Apply(ApiSamples.Endpoints("web", "default", "10.0.0.256"));
        server.Objects.Apply(ApiSamples.Endpoints("ok", "default", "10.0.0.1"));
        await Eventually.Get(() => _h.State(name), s => s.Services.Count == 2 && s.Endpoints.Select(e => e.Key().Name).SequenceEqual(["ok"]), ApiSourceHarness.Timeout, "the fixed service and the good endpoints");
        Assert.Equal(2, _h.Meters(source).BadValues);
        Assert.Null((await _h.Grains.GetSource(name).GetStatus()).LastError);
    }

    [Fact]
    public async Task Two_sources_on_one_name_never_undo_a_newer_change()
    {
        var server = await NewServer();
        var name = _h.NewName();
        var fast = await Start(name, server);
        var slow = await Start(name, server);
        await _h.Reflects(name, server, "the first lists");

        for (var i = 0; i < 20; i++)
        {
            if (i % 3 == 2) server.Objects.Delete("services", "team-d", $"s{i - 1}");
            else server.Objects.Apply(ApiSamples.Service($"s{i}", "team-d"));
        }

        await _h.Reflects(name, server, "after both sources applied every event");
        await Eventually.Until(() =>
            fast.ServicesResourceVersion == slow.ServicesResourceVersion,
                timeout: ApiSourceHarness.Timeout, what: "both sources to catch up");
        await _h.Reflects(name, server, "once both caught up");
    }

    [Fact]
    public async Task A_change_reaches_the_union_within_a_second_and_a_burst_arrives_in_few_updates()
    {
        var server = await FakeApiServer.StartAsync();
        _servers.Add(server);
        var name = _h.NewName();
        await Start(name, server);
        await _h.Reflects(name, server, "the empty lists");

        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            clock.Restart();
            server.Objects.Apply(ApiSamples.Service($"s{i}", "lat"));
            await Eventually.Get(() => _h.Union(name), u => u.Services.Any(s => s.Key().Name == $"s{i}"), ApiSourceHarness.Timeout);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();

        const int Burst = 2000;
        var before = (await _h.Grains.GetSource(name).GetStatus()).Sequence;
        clock.Restart();
        for (var i = 0; i < Burst; i++) server.Objects.Apply(ApiSamples.Service($"b{i}", "burst"));
        await Eventually.Get(() => _h.Grains.GetSource(name).GetStatus(), s =>
            s.Services == 10 + Burst, ApiSourceHarness.Timeout, "the burst");
        var burstTime = clock.Elapsed;
        var updates = (await _h.Grains.GetSource(name).GetStatus()).Sequence - before;
        await _h.Reflects(name, server, "after the burst");

        output.WriteLine($"change -> union: median {samples[samples.Count / 2]:0.0} ms, max {samples[^1]:0.0} ms; " +
            $"{Burst} ADDED events -> source state in {burstTime.TotalMilliseconds:0} ms as {updates} grain update(s)");
        Assert.True(updates < Burst, "events that arrive together should be applied together");
    }
}
