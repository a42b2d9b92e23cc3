using Microsoft.Extensions.Logging;
using OrleansConfig.Diagnostics;
using OrleansConfig.Tests.Diagnostics;
using OrleansConfig.Tests.Sources.Etcd;
using Xunit;
using static OrleansConfig.Tests.Sources.Api.ApiSliceStateTests;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>The source reading EndpointSlices (the default): a Service's slices merged into its Endpoints, only the
/// Service a slice event touches sent, v1 Endpoints never read.</summary>
public sealed class ApiConfigSourceSliceTests : IAsyncLifetime
{
    private readonly FakeApiWatcher _api = new();
    private readonly FakeSourceGrain _grain = new();
    private readonly MetricRecorder _recorder = new();
    private readonly CapturingLoggerFactory _logs = new();
    private ApiConfigSource? _source;

    private async Task Start(string? namespaces = null)
    {
        var options = new ApiSourceOptions
        {
            Server = "http://fake:6443",
            Name = "k8s",
            Namespaces = namespaces,
            RetryInitialDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        _source = new ApiConfigSource(
            () => _grain, _api, _api, options, TimeProvider.System, _logs.CreateLogger("api"), _recorder.Factory, _api);
        await _source.StartAsync(CancellationToken.None);
    }

    private Task Watching() => Eventually.Until(() => _api.Services.OpenWatches == 1 && _api.Slices.OpenWatches == 1,
        "a watch of services and of endpointslices");

    private async Task<Endpoints[]> GrainEndpoints() => [.. (await _grain.GetSnapshot()).Endpoints.OrderBy(e => e.Key())];

    // What the grain holds, as its snapshot tags it (the fake grain's source is "etcd").
    private static Endpoints[] Held(IEnumerable<Endpoints> endpoints) => [.. endpoints.Select(e => e.WithSource("etcd"))];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }
        _recorder.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task The_first_list_sets_each_services_merged_slices_and_v1_endpoints_are_never_read()
    {
        _api.Services.Put(Items.Service("web", ns: "shop"));
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.1", true), ("10.0.0.2", false)));
        _api.Slices.Put(Slice("web-b", "web", "IPv6", ("fd00::1", true)));
        var listed = _api.Version;

        await Start();
        await Watching();

        Assert.Equal(["list services", "list endpointslices"], _api.Calls[..2]);
        Assert.Equal(
            [$"watch endpointslices from {listed}", $"watch services from {listed}"], _api.Calls[2..].Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_api.Calls, c => c.Split(' ')[1] == "endpoints");
        var first = Assert.Single(_grain.Applied);
        Assert.True(first.Synced);
        Assert.Equal((Operation.Set, listed), (first.Endpoints!.Op, first.Endpoints.Revision));
        var merged = EndpointSliceMerge.MergeAll(_api.Slices.All()).ToArray();
        Assert.Equal(Held(merged), await GrainEndpoints());
        Assert.Equal(
            ["10.0.0.1", "fd00::1"], Assert.Single(merged).Subsets.SelectMany(s => s.Addresses).Select(a => a.Ip));
        Assert.Equal(1, _recorder.Of(OrleansConfigMeter.SourceLists)
            .Where(r => r.Labels == "resource=endpointslices,source=k8s,type=api").Sum(r => r.Value));
    }

    [Fact]
    public async Task A_slice_event_sends_only_its_services_endpoints_and_a_deleted_last_slice_removes_them()
    {
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.1", true)));
        _api.Slices.Put(Slice("db-a", "db", "IPv4", ("10.0.1.1", true)));
        await Start();
        await Watching();

        var version = _api.Slices.Put(Slice("web-b", "web", "IPv4", ("10.0.0.2", true)));
        await Eventually.Until(() => _grain.Applied.Count == 2, "the web change");
        var change = _grain.Applied[1].Endpoints!;
        Assert.Equal((Operation.Add, version), (change.Op, change.Revision));
        Assert.Equal(EndpointSliceMerge.Merge("shop", "web", _api.Slices.All()), Assert.Single(change.Endpoints));

        _api.Slices.Delete(new ObjectKey("shop", "db-a"));
        await Eventually.Until(() => _grain.Applied.Count == 3, "the db removal");
        var removal = _grain.Applied[2].Endpoints!;
        Assert.Equal((Operation.Remove, "shop/db"), (removal.Op, Assert.Single(removal.Endpoints).Key().ToString()));
        Assert.Equal(["shop/web"], _grain.Endpoints);
        Assert.True(_recorder.Of(OrleansConfigMeter.SourceWatchEvents)
            .Where(r => r.Labels == "event=change,resource=endpointslices,source=k8s,type=api").Sum(r => r.Value) >= 2);
    }

    [Fact]
    public async Task A_slice_naming_no_service_is_skipped_with_one_warning_and_the_rest_are_served()
    {
        var unlabelled =
            Slice("stray", "x", "IPv4", ("10.9.0.1", true)) with { Metadata = new ObjectMeta { Namespace = "shop", Name = "stray" } };
        _api.Slices.Put(unlabelled);
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.1", true)));
        await Start();
        await Watching();

        // Changed, it is still the same stray slice: no second warning.
        _api.Slices.Put(unlabelled with { AddressType = "IPv6", Endpoints = ValueList<SliceEndpoint>.Empty });
        _api.Slices.Put(Slice("web-b", "web", "IPv4", ("10.0.0.2", true)));
        await Eventually.Until(() => _grain.Applied.Count == 2, "the web change");

        Assert.Equal(["shop/web"], _grain.Endpoints);
        var warnings =
            _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("stray", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            "api source k8s: skipped endpointslice shop/stray: " +
            "metadata.labels[kubernetes.io/service-name]: is required: it names the slice's Service",
            Assert.Single(warnings).Message);
    }

    [Fact]
    public async Task A_relist_after_a_410_sends_only_the_services_that_changed()
    {
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.1", true)));
        _api.Slices.Put(Slice("db-a", "db", "IPv4", ("10.0.1.1", true)));
        await Start();
        await Watching();

        _api.Slices.HoldWatches();
        _api.Slices.EndWatches();
        await Eventually.Until(() => _api.Slices.HeldWatches == 1, "the slices watch asked for again");
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.9", true)));
        _api.Slices.Compact();
        _api.Slices.ReleaseWatches();
        await Eventually.Until(() => _grain.Applied.Count == 2, "the relist's change");

        var relisted = _grain.Applied[1].Endpoints!;
        Assert.Equal((Operation.Add, "shop/web"), (relisted.Op, Assert.Single(relisted.Endpoints).Key().ToString()));
        Assert.Equal(Held(EndpointSliceMerge.MergeAll(_api.Slices.All())), await GrainEndpoints());
        Assert.Equal(2, _api.CallsOf("endpointslices").Count(c => c.StartsWith("list", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Namespaces_each_list_and_watch_their_own_slices()
    {
        _api.Slices.Put(Slice("web-a", "web", "IPv4", ("10.0.0.1", true)));
        await Start(namespaces: "shop,other");
        await Eventually.Until(() => _api.Slices.OpenWatches == 2, "a slices watch per namespace");

        Assert.Contains("list endpointslices in shop", _api.Calls);
        Assert.Contains("list endpointslices in other", _api.Calls);
        Assert.Equal(Held(EndpointSliceMerge.MergeAll(_api.Slices.All())), await GrainEndpoints());
    }
}
