using System.Collections.Concurrent;
using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

/// <summary>Configs of one client share one subscription and one view per kind (<see cref="SharedUnions"/>).</summary>
public sealed class SharedUnionTests
{
    private static readonly ConfigClientOptions Fast = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Two_configs_on_one_client_share_one_subscription_and_each_gets_the_exact_union_and_changes()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        var unions = new SharedUnions(aggregator);
        await using var first = Services(unions);
        await using var second = Services(unions);
        var unionsSeen = new ConcurrentQueue<string>();
        var changesSeen = new ConcurrentQueue<string>();
        first.RegisterHandler("whole", items =>
        {
            unionsSeen.Enqueue(string.Join(",", items.Select(i => $"{i.Key()}@{i.Source()}:{i.Rev()}")));
            return Task.CompletedTask;
        });
        second.RegisterChangeHandler("changes", changes =>
        {
            changesSeen.Enqueue($"{(changes.Initial ? "initial" : "")}@{changes.Version.Version} {ChangeText.Of(changes)}");
            return Task.CompletedTask;
        });
        await Eventually.Until(() => unionsSeen.Count == 1 && changesSeen.Count == 1, "both handlers' first calls");

        aggregator.Publish("file", [Versioned("a", "api")]);
        await Eventually.Until(() => unionsSeen.Count == 2 && changesSeen.Count == 2, "both handlers told the change");
        aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")], removeServices: []);
        await Eventually.Until(() => unionsSeen.Count == 3 && changesSeen.Count == 3, "both handlers told the update");

        Assert.Equal(1, aggregator.SubscribeCalls);
        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.Equal(1, aggregator.SnapshotCalls);
        Assert.Equal(1, unions.Count);
        Assert.Same(first.Shared, second.Shared);
        Assert.Equal(2, first.Shared.MemberCount);
        Assert.Equal(["default/web@etcd:1", "a/api@file:1,default/web@etcd:1", "a/api@file:1,default/web@etcd:2"], unionsSeen);
        Assert.Equal(["initial@1 +default/web@etcd:1", "@2 +a/api@file:1", "@3 ~default/web@etcd:1>2"], changesSeen);
        Assert.Equal(aggregator.Version, first.Version);
        Assert.Equal(aggregator.Version, second.Version);
    }

    [Fact]
    public async Task Handlers_of_different_configs_are_given_the_same_immutable_union()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web"), Versioned("default", "api")]);
        var unions = new SharedUnions(aggregator);
        await using var first = Services(unions);
        await using var second = Services(unions);
        var lists = new ConcurrentQueue<IReadOnlyList<Service>>();
        first.RegisterHandler("a", items => Enqueue(lists, items));
        second.RegisterHandler("b", items => Enqueue(lists, items));
        await Eventually.Until(() => lists.Count == 2, "both handlers' first calls");

        var kept = lists.ToArray();
        Assert.Same(kept[0], kept[1]);
        Assert.IsNotType<List<Service>>(kept[0]);
        aggregator.Publish("etcd", removeServices: [new ObjectKey("default", "api")]);
        await Eventually.Until(() => lists.Count == 4, "both handlers told the removal");

        // What a handler kept is not changed by the next change.
        Assert.Equal(["default/api", "default/web"], kept[0].Select(i => i.Key().ToString()));
        Assert.Equal(["default/web"], lists.Last().Select(i => i.Key().ToString()));
    }

    [Fact]
    public async Task Disposing_one_config_leaves_the_other_working_and_the_last_ends_the_subscription()
    {
        var aggregator = new FakeAggregator();
        var unions = new SharedUnions(aggregator);
        var first = Services(unions);
        var second = Services(unions);
        await first.WaitForSyncAsync(CancellationToken.None).Within();
        await second.WaitForSyncAsync(CancellationToken.None).Within();

        await first.DisposeAsync();
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        await Eventually.Until(() => second.Version == aggregator.Version, "the remaining config follows the union");
        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.Equal(1, second.Shared.MemberCount);
        Assert.Equal(["default/web"], second.Config()["etcd"].Keys.Select(k => k.ToString()));

        await second.DisposeAsync();
        Assert.Equal(0, aggregator.ActiveSubscriptions);
        Assert.Equal(0, unions.Count);

        // A config made after the last one left starts a subscription of its own, with the union as it is now.
        await using var third = Services(unions);
        await third.WaitForSyncAsync(CancellationToken.None).Within();
        Assert.NotSame(second.Shared, third.Shared);
        Assert.Equal(2, aggregator.SubscribeCalls);
        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.Equal(aggregator.Version, third.Version);
        Assert.Equal(["default/web"], third.Config()["etcd"].Keys.Select(k => k.ToString()));
    }

    [Fact]
    public async Task A_config_joining_a_running_union_is_synced_at_once_and_counts_only_its_own_resyncs()
    {
        var aggregator = new FakeAggregator();
        var lossy = new LossyBackend(aggregator);
        var unions = new SharedUnions(lossy);
        await using var first = Services(unions);
        await first.WaitForSyncAsync(CancellationToken.None).Within();
        lossy.Keep = d => d.Version.Version != 1;
        aggregator.Publish("etcd", [Versioned("default", "lost")]);
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        await Eventually.Until(() => first.ResyncCount == 1 && first.Version == aggregator.Version, "the resync after the gap");

        await using var late = Services(unions);
        Assert.True(late.WaitForSyncAsync(CancellationToken.None).IsCompletedSuccessfully);
        var changes = new ConcurrentQueue<string>();
        late.RegisterChangeHandler("late", c =>
        {
            changes.Enqueue($"{(c.Initial ? "initial" : "")}@{c.Version.Version} {ChangeText.Of(c)}");
            return Task.CompletedTask;
        });
        await Eventually.Until(() => changes.Count == 1, "the late handler's first call");

        Assert.Equal(0, late.ResyncCount);
        Assert.Equal(1, first.ResyncCount);
        Assert.Equal(2, aggregator.SnapshotCalls);
        Assert.Equal(["initial@2 +default/lost@etcd:1 +default/web@etcd:1"], changes);
    }

    [Fact]
    public async Task Configs_with_other_subscription_settings_or_a_backend_of_their_own_keep_their_own_subscription()
    {
        var aggregator = new FakeAggregator();
        var lossy = new LossyBackend(aggregator);
        var unions = new SharedUnions(aggregator);
        await using var shared = Services(unions);
        // Pacing is the config's own: it shares.
        await using var paced = Services(unions, new ConfigClientOptions
        {
            ProbeInterval = Fast.ProbeInterval, SnapshotRetryDelay = Fast.SnapshotRetryDelay, MaxRetryDelay = Fast.MaxRetryDelay,
            MinInterval = TimeSpan.FromMilliseconds(5),
        });
        await using var probing = Services(unions, new ConfigClientOptions { ProbeInterval = TimeSpan.FromMinutes(5) });
        await using var endpoints = new ConfigClientCore<Endpoints, EndpointsUpdate>(unions, ConfigKind.Endpoints, Fast, null, null);
        await using var own = new ConfigClientCore<Service, ServiceUpdate>(lossy, ConfigKind.Services, Fast, null, null);
        foreach (var config in new[] { shared, paced, probing, own }) await config.WaitForSyncAsync(CancellationToken.None).Within();
        await endpoints.WaitForSyncAsync(CancellationToken.None).Within();

        Assert.Same(shared.Shared, paced.Shared);
        Assert.Equal(3, unions.Count);
        Assert.Equal(4, aggregator.ActiveSubscriptions);

        // The config on its own backend loses a delta and resyncs alone; the shared ones never saw a gap.
        lossy.Keep = d => d.Version.Version != 1;
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        aggregator.Publish("etcd", [Versioned("default", "b")]);
        await Eventually.Until(() => own.ResyncCount == 1 && own.Version == aggregator.Version, "the lossy config's resync");
        await Eventually.Until(() => shared.Version == aggregator.Version, "the shared config follows the union");
        Assert.Equal(0, shared.ResyncCount);
        Assert.Equal(1, lossy.Dropped);
        Assert.Equal(shared.Config()["etcd"].Keys, own.Config()["etcd"].Keys);
    }

    [Fact]
    public async Task Catalogs_with_one_source_priority_share_a_subscription_and_entries_and_each_tells_its_own_handlers()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [HttpService("web")], endpoints: [HttpEndpoints("web", "10.0.0.1")]);
        aggregator.Publish("file", services: [HttpService("web")], endpoints: [HttpEndpoints("web", "10.0.0.2")]);
        var unions = new SharedUnions(aggregator);
        var first = Catalog(unions, "file");
        await using var second = Catalog(unions, "file");
        await using var other = Catalog(unions);
        await Task.WhenAll(first.WaitForSyncAsync(), second.WaitForSyncAsync(), other.WaitForSyncAsync()).Within();
        var firstKeys = new ConcurrentQueue<string>();
        var secondKeys = new ConcurrentQueue<string>();
        first.RegisterHandler(keys => Enqueue(firstKeys, keys));
        second.RegisterHandler(keys => Enqueue(secondKeys, keys));
        await Eventually.Until(() => firstKeys.Count == 1 && secondKeys.Count == 1, "both catalogs' handlers' first calls");

        Assert.Same(first.Shared, second.Shared);
        Assert.NotSame(first.Shared, other.Shared);
        Assert.Equal(2, aggregator.ActiveSubscriptions);
        Assert.Same(first.Entries, second.Entries);
        Assert.Equal(["10.0.0.2:8080"], first.Resolve("default", "web", "http"));
        Assert.Equal(["10.0.0.1:8080"], other.Resolve("default", "web", "http"));

        // One catalog gone: the other keeps telling its handler; the last one ends the subscription.
        await first.DisposeAsync();
        aggregator.Publish("file", services: [HttpService("db")], endpoints: [HttpEndpoints("db", "10.0.0.3")]);
        await Eventually.Until(() => secondKeys.Count == 2, "the remaining catalog's handler told the new key");
        Assert.Equal(["default/web", "default/db"], secondKeys);
        Assert.Equal(["default/web"], firstKeys);
        Assert.Equal(["10.0.0.3:8080"], second.Resolve("default", "db", "http"));
        await second.DisposeAsync();
        Assert.Equal(1, aggregator.ActiveSubscriptions);
    }

    [Fact]
    public async Task Deltas_applied_in_one_run_reach_a_change_handler_as_one_call_once_the_run_ends()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        var unions = new SharedUnions(aggregator);
        await using var config = Services(unions);
        var seen = new ConcurrentQueue<string>();
        config.RegisterChangeHandler("changes", changes =>
        {
            seen.Enqueue($"{(changes.Initial ? "initial" : "")}@{changes.Version.Version} {ChangeText.Of(changes)}");
            return Task.CompletedTask;
        });
        await Eventually.Until(() => seen.Count == 1, "the initial call");

        // What the subscription does with a burst: each delta applied, then the end of the run.
        IUnionSink sink = config.Shared;
        sink.ApplyDelta(aggregator.Publish("etcd", [Versioned("default", "api")], deliver: false));
        sink.ApplyDelta(aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")], deliver: false));
        sink.ApplyDelta(aggregator.Publish("file", [Versioned("a", "db")], deliver: false));
        // The shared view has all three; the config, whose handlers have not been told yet, is still where it was.
        Assert.Equal(aggregator.Version, config.Shared.View.Version);
        Assert.Equal(1, config.Version.Version);
        sink.EndOfRun();
        Assert.Equal(aggregator.Version, config.Version);
        await Eventually.Until(() => seen.Count == 2, "the run's one call");

        Assert.Equal(["initial@1 +default/web@etcd:1", "@4 +a/db@file:1 +default/api@etcd:1 ~default/web@etcd:1>2"], seen);
    }

    [Fact]
    public async Task A_change_handler_registered_in_the_middle_of_a_run_is_told_each_item_once()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        var unions = new SharedUnions(aggregator);
        await using var config = Services(unions);
        var early = new ConcurrentQueue<string>();
        config.RegisterChangeHandler("early", changes => Record(early, changes));
        await Eventually.Until(() => early.Count == 1, "the first handler's initial call");
        IUnionSink sink = config.Shared;
        sink.ApplyDelta(aggregator.Publish("etcd", [Versioned("default", "api")], deliver: false));
        sink.ApplyDelta(aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")], deliver: false));

        // Registering tells the run so far first, so the new handler's starting view and what it is told next meet exactly.
        var late = new ConcurrentQueue<string>();
        config.RegisterChangeHandler("late", changes => Record(late, changes));
        sink.ApplyDelta(aggregator.Publish("file", [Versioned("a", "db")], deliver: false));
        sink.EndOfRun();
        await Eventually.Until(() => late.Any(c => c.Contains("a/db", StringComparison.Ordinal)), "the late handler told of a/db");
        await Eventually.Until(() => early.Any(c => c.Contains("a/db", StringComparison.Ordinal)), "the first handler told of a/db");

        // However its calls fell (the initial one may or may not have taken in a/db), each item reached it once, as added.
        var told = string.Join(" ", late).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t[0] is '+' or '~' or '-').Order();
        Assert.Equal(["+a/db@file:1", "+default/api@etcd:1", "+default/web@etcd:2"], told);
        var earlyTold = string.Join(" ", early.Skip(1)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t[0] is '+' or '~' or '-');
        Assert.Equal(["+a/db@file:1", "+default/api@etcd:1", "~default/web@etcd:1>2"], earlyTold.Order());
    }

    private static Task Record(ConcurrentQueue<string> calls, ConfigChanges<Service> changes)
    {
        calls.Enqueue($"{(changes.Initial ? "initial" : "")}@{changes.Version.Version} {ChangeText.Of(changes)}");
        return Task.CompletedTask;
    }

    private static ServiceCatalog Catalog(SharedUnions unions, params string[] priority) =>
        new(unions, new ServiceCatalogOptions { SourcePriority = priority, Client = Fast });

    private static Task Enqueue(ConcurrentQueue<string> calls, IReadOnlyCollection<ObjectKey> keys)
    {
        calls.Enqueue(string.Join(",", keys.Select(k => k.ToString())));
        return Task.CompletedTask;
    }

    private static ConfigClientCore<Service, ServiceUpdate> Services(SharedUnions unions, ConfigClientOptions? options = null) =>
        new(unions, ConfigKind.Services, options ?? Fast, null, null);

    private static Task Enqueue(ConcurrentQueue<IReadOnlyList<Service>> lists, IReadOnlyList<Service> items)
    {
        lists.Enqueue(items);
        return Task.CompletedTask;
    }
}
