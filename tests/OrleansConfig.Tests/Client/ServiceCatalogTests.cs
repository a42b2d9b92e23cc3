using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit;

namespace OrleansConfig.Tests.Client;

/// <summary>The catalog over a fake aggregator: one subscription for both kinds, per-key notifications, conflicts, resync.</summary>
public sealed class ServiceCatalogTests
{
    private static readonly ConfigClientOptions Fast = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    private static readonly ObjectKey Web = new("default", "web");
    private static readonly ObjectKey Db = new("default", "db");

    private static ServiceCatalog Catalog(FakeAggregator aggregator, ILoggerFactory? logs = null, params string[] priority) =>
        new(
            aggregator,
            new ServiceCatalogOptions { SourcePriority = priority, Client = Fast, RetryInterval = TimeSpan.FromMilliseconds(10) },
            logs);

    private static Service Svc(string name, string rev = "1") =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = name, Labels = ValueMap.From([new("rev", rev)]) },
            Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
        };

    private static Endpoints Eps(string name, params string[] ips) =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = name },
            Subsets =
            [
                new EndpointSubset
                {
                    Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })),
                    Ports = [new EndpointPort { Name = "http", Port = 8080 }],
                },
            ],
        };

    /// <summary>Each call's keys as "ns/name" strings.</summary>
    private sealed class Recorder
    {
        public ConcurrentQueue<string[]> Calls { get; } = new();

        public Func<IReadOnlyCollection<ObjectKey>, Task>? Inner { get; set; }

        public Task Handle(IReadOnlyCollection<ObjectKey> keys)
        {
            Calls.Enqueue([.. keys.Select(k => k.ToString())]);
            return Inner?.Invoke(keys) ?? Task.CompletedTask;
        }

        public string[][] Seen => [.. Calls];
    }

    [Fact]
    public async Task Both_kinds_come_through_one_subscription_and_the_winners_entry_resolves()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [Svc("web")], endpoints: [Eps("web", "10.0.0.1")]);
        aggregator.Publish("file", services: [Svc("web")], endpoints: [Eps("web", "10.0.0.2")]);
        aggregator.Publish("manual", services: [Svc("web")], endpoints: [Eps("web", "10.0.0.3", "10.0.0.4")]);
        await using var catalog = Catalog(aggregator, priority: ["manual"]);

        await catalog.WaitForSyncAsync().Within();

        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.True(catalog.TryGet("default", "web", out var web));
        Assert.Equal("manual", web.Source);
        Assert.Equal(["etcd", "file"], web.OtherSources);
        Assert.Equal(["10.0.0.3:8080", "10.0.0.4:8080"], catalog.Resolve("default", "web", "http"));
        Assert.Equal(["10.0.0.3:8080", "10.0.0.4:8080"], catalog.Resolve("default", "web", null));
        Assert.Equal([], catalog.Resolve("default", "web", "grpc"));
        Assert.Equal([], catalog.Resolve("default", "nope", null));
        Assert.False(catalog.TryGet("default", "nope", out _));
        Assert.Equal([Web], catalog.Entries.Keys);
        Assert.Equal(aggregator.Version, catalog.Version);
    }

    [Fact]
    public async Task A_handler_is_told_every_key_first_then_only_the_keys_that_changed()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [Svc("web"), Svc("db")]);
        await using var catalog = Catalog(aggregator);
        var recorder = new Recorder();
        catalog.RegisterHandler(recorder.Handle);
        await Eventually.Until(() => recorder.Calls.Count == 1, "the first call");

        aggregator.Publish("etcd", endpoints: [Eps("web", "10.0.0.1")]);
        await Eventually.Until(() => recorder.Calls.Count == 2, "the call for web's endpoints");
        // Endpoints of a Service nobody publishes, and of a source whose Service is not the one used: no entry changes, no call.
        aggregator.Publish("file", endpoints: [Eps("cache", "10.0.0.9"), Eps("web", "10.0.0.8")]);
        aggregator.Publish("etcd", removeServices: [Db]);
        await Eventually.Until(() => recorder.Calls.Count == 3, "the call for db");

        Assert.Equal([["default/db", "default/web"], ["default/web"], ["default/db"]], recorder.Seen);
        Assert.False(catalog.TryGet(Db, out _));
        Assert.Equal(["10.0.0.1:8080"], catalog.Resolve("default", "web", "http"));
    }

    [Fact]
    public async Task Keys_changed_while_the_handler_is_busy_come_in_one_call()
    {
        var aggregator = new FakeAggregator();
        await using var catalog = Catalog(aggregator);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder { Inner = _ => release.Task };
        catalog.RegisterHandler(recorder.Handle);
        await Eventually.Until(() => recorder.Calls.Count == 1, "the first call");

        aggregator.Publish("etcd", services: [Svc("web")]);
        aggregator.Publish("etcd", services: [Svc("db")]);
        aggregator.Publish("etcd", services: [Svc("web", rev: "2")]);
        await Eventually.Until(
            () => catalog.TryGet(Web, out var web) && web.Service.Metadata.Labels["rev"] == "2", "the catalog takes every change");
        recorder.Inner = null;
        release.SetResult();
        await Eventually.Until(() => recorder.Calls.Count == 2, "the gathered call");

        Assert.Equal([[], ["default/db", "default/web"]], recorder.Seen);
    }

    [Fact]
    public async Task A_handler_that_throws_is_called_again_with_the_same_keys()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [Svc("web")]);
        var logs = new CapturingLoggerFactory();
        await using var catalog = Catalog(aggregator, logs);
        var failures = 2;
        var recorder = new Recorder
        {
            Inner = _ => Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("not yet") : Task.CompletedTask,
        };
        catalog.RegisterHandler(recorder.Handle);

        await Eventually.Until(() => recorder.Calls.Count == 3, "the third call");

        Assert.Equal([["default/web"], ["default/web"], ["default/web"]], recorder.Seen);
        Assert.True(logs.Contains(LogLevel.Error, "failed on 1 changed services; calling it again in"));
    }

    [Fact]
    public async Task A_handler_registered_after_sync_is_called_at_once_even_for_an_empty_catalog()
    {
        var aggregator = new FakeAggregator();
        await using var catalog = Catalog(aggregator);
        await catalog.WaitForSyncAsync().Within();
        var recorder = new Recorder();

        catalog.RegisterHandler(recorder.Handle);

        await Eventually.Until(() => recorder.Calls.Count == 1, "the first call");
        Assert.Equal([[]], recorder.Seen);
    }

    [Fact]
    public async Task A_conflict_is_logged_once_and_again_when_its_sources_change()
    {
        var aggregator = new FakeAggregator();
        var logs = new CapturingLoggerFactory();
        await using var catalog = Catalog(aggregator, logs, "manual");
        await catalog.WaitForSyncAsync().Within();

        aggregator.Publish("etcd", services: [Svc("web")]);
        aggregator.Publish("file", services: [Svc("web")]);
        aggregator.Publish("file", services: [Svc("web", rev: "2")]);
        aggregator.Publish("manual", services: [Svc("web")]);
        await Eventually.Until(() => catalog.TryGet(Web, out var web) && web.Source == "manual", "manual wins");

        string[] warnings = [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];
        Assert.Equal(
        [
            "Service default/web is published by several sources (etcd, file); using etcd's Service and Endpoints",
            "Service default/web is published by several sources (manual, etcd, file); using manual's Service and Endpoints",
        ], warnings);
    }

    [Fact]
    public async Task A_lost_delta_is_caught_by_a_resync_and_its_key_is_told()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [Svc("web"), Svc("db")], endpoints: [Eps("web", "10.0.0.1")]);
        await using var catalog = Catalog(aggregator);
        var recorder = new Recorder();
        catalog.RegisterHandler(recorder.Handle);
        await Eventually.Until(() => recorder.Calls.Count == 1, "the first call");

        aggregator.Publish("etcd", endpoints: [Eps("web", "10.0.0.2")], deliver: false);
        aggregator.Publish("etcd", services: [Svc("db", rev: "2")]);

        await Eventually.Until(() => recorder.Calls.Sum(c => c.Length) == 4, "both keys told");
        Assert.Equal(["10.0.0.2:8080"], catalog.Resolve("default", "web", "http"));
        Assert.Equal("2", catalog.Entries[Db].Service.Metadata.Labels["rev"]);
        Assert.Equal(aggregator.Version, catalog.Version);
        Assert.Equal(["default/db", "default/web"], recorder.Seen.Skip(1).SelectMany(c => c).Order(StringComparer.Ordinal));
    }
}
