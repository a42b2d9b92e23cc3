using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class ChangeHandlerTests
{
    private static readonly ConfigClientOptions Fast = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task The_first_call_is_the_whole_union_as_added_then_each_change_alone()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web"), Versioned("a", "api")]);
        aggregator.Publish("file", [Versioned("default", "web", rev: "f")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);
        var handler = new Recording<Service>();

        var registration = config.RegisterHandler(handler);
        await handler.Calls(1);
        aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")]);
        await handler.Calls(2);
        aggregator.Publish("etcd", removeServices: [new ObjectKey("a", "api")]);
        await handler.Calls(3);
        aggregator.Publish("file", [Versioned("b", "new")]);
        await handler.Calls(4);

        Assert.Equal(
        [
            "initial@2 +a/api@etcd:1 +default/web@etcd:1 +default/web@file:f",
            "@3 ~default/web@etcd:1>2",
            "@4 -a/api@etcd:1",
            "@5 +b/new@file:1",
        ], handler.Seen);
        Assert.True(registration.HasSynced);
        await Eventually.Until(() => registration.AppliedVersion == aggregator.Version, "the applied version is the last call's");
    }

    [Fact]
    public async Task A_handler_registered_before_the_first_snapshot_gets_it_as_its_initial_call_even_when_empty()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        await using var config = new ServiceConfig(aggregator, options: Fast);
        var handler = new Recording<Service>();
        var registration = config.RegisterHandler(handler);
        Assert.False(registration.HasSynced);

        aggregator.SnapshotGate.SetResult();
        await registration.WaitForSyncAsync().Within();
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        await handler.Calls(2);

        Assert.Equal(["initial@0 ", "@1 +default/web@etcd:1"], handler.Seen);
    }

    [Fact]
    public async Task Changes_while_the_handler_is_busy_fold_into_one_call()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "kept"), Versioned("default", "updated"), Versioned("default", "removed"), Versioned("default", "readded")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new Recording<Service>(async changes =>
        {
            if (changes.Initial) await release.Task;
        });
        config.RegisterHandler(handler);
        await Eventually.Until(() => handler.Started == 1, "the initial call is under way");

        aggregator.Publish("etcd", [Versioned("default", "updated", rev: "2"), Versioned("default", "brief")]);
        aggregator.Publish("etcd", [Versioned("default", "updated", rev: "3")], removeServices: [new ObjectKey("default", "brief"), new ObjectKey("default", "removed")]);
        aggregator.Publish("etcd", removeServices: [new ObjectKey("default", "readded")]);
        aggregator.Publish("etcd", [Versioned("default", "readded", rev: "2"), Versioned("default", "added")]);
        await Eventually.Until(() => config.Version == aggregator.Version, "the view has every change");
        release.SetResult();
        await handler.Calls(2);

        // brief: added then removed, cancels; updated: 1>2>3 is one update; readded: removed then added is an update.
        Assert.Equal("@5 +default/added@etcd:1 ~default/readded@etcd:1>2 ~default/updated@etcd:1>3 -default/removed@etcd:1", handler.Seen[1]);
    }

    [Fact]
    public async Task After_a_lost_delta_the_handler_gets_exactly_the_difference_from_what_it_saw()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "a"), Versioned("default", "b"), Versioned("default", "c")]);
        var lossy = new LossyBackend(aggregator);
        await using var config = new ServiceConfig(lossy, options: Fast);
        var handler = new Recording<Service>();
        config.RegisterHandler(handler);
        await handler.Calls(1);

        lossy.Keep = d => d.Version.Version != 2;
        aggregator.Publish("etcd", [Versioned("default", "a", rev: "2"), Versioned("default", "d")], removeServices: [new ObjectKey("default", "b")]);
        aggregator.Publish("etcd", [Versioned("default", "e")]);
        await handler.Calls(2);
        await Eventually.Until(() => config.ResyncCount == 1, "the resync is counted");

        // Delta 2 was lost, delta 3 showed the gap: the snapshot at 3 is told as one difference, delta 3 not replayed.
        Assert.Equal(1, lossy.Dropped);
        Assert.Equal(["@3 +default/d@etcd:1 +default/e@etcd:1 ~default/a@etcd:1>2 -default/b@etcd:1"], handler.Seen.Skip(1));
    }

    [Fact]
    public async Task A_resync_that_finds_nothing_new_makes_no_call()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);
        var handler = new Recording<Service>();
        var full = new ConcurrentQueue<int>();
        config.RegisterHandler(handler);
        config.RegisterHandler(union =>
        {
            full.Enqueue(union.Count);
            return Task.CompletedTask;
        });
        await handler.Calls(1);

        // A new epoch with the same union: a snapshot with the same content.
        aggregator.Reactivate();
        aggregator.Publish("other", services: [], removeServices: []);
        await Eventually.Until(() => config.ResyncCount == 1 && config.Version == aggregator.Version, "the resync into the new epoch");
        aggregator.Publish("etcd", [Versioned("default", "z")]);
        await handler.Calls(2);
        await Eventually.Until(() => full.Count == 2, "the full-union handler is told the change");

        Assert.Equal(["initial@1 +default/a@etcd:1", "@2 +default/z@etcd:1"], handler.Seen);
        Assert.Equal([1, 2], full);
    }

    [Fact]
    public async Task A_throwing_handler_is_called_again_after_RetryInterval_with_the_same_changes_and_those_since()
    {
        var time = new ManualTimeProvider();
        var retry = TimeSpan.FromSeconds(3);
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        var loggers = new CapturingLoggerFactory();
        await using var config = new ServiceConfig(aggregator, loggers, new ConfigClientOptions { ProbeInterval = TimeSpan.Zero, RetryInterval = retry }, time);
        var failures = 2;
        var handler = new Recording<Service>(_ => Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("handler broke") : Task.CompletedTask);
        var registration = config.RegisterHandler(handler);
        await handler.Calls(1);
        await Eventually.Until(() => time.ActiveTimers == 1, "the retry is scheduled");

        Assert.False(registration.HasSynced);
        Assert.Equal("handler broke", registration.LastError?.Message);
        Assert.Equal(time.GetUtcNow(), registration.LastErrorAt);
        aggregator.Publish("etcd", [Versioned("default", "b")]);
        await Eventually.Until(() => config.Version == aggregator.Version, "the view has the change");
        time.Advance(retry - TimeSpan.FromTicks(1));
        Assert.Equal(1, handler.Started);

        time.Advance(TimeSpan.FromTicks(1));
        await handler.Calls(2);
        await Eventually.Until(() => time.ActiveTimers == 1, "the second retry is scheduled");
        aggregator.Publish("etcd", removeServices: [new ObjectKey("default", "a")]);
        await Eventually.Until(() => config.Version == aggregator.Version, "the view has the removal");
        time.Advance(retry);
        await handler.Calls(3);
        await registration.WaitForSyncAsync().Within();

        // Still the initial call each time (it never returned), folding what came since: nothing lost, nothing told twice.
        Assert.Equal(["initial@1 +default/a@etcd:1", "initial@2 +default/a@etcd:1 +default/b@etcd:1", "initial@3 +default/b@etcd:1"], handler.Seen);
        Assert.Equal(aggregator.Version, registration.AppliedVersion);
        Assert.Equal(2, loggers.Entries.Count(e => e.Level == LogLevel.Error && e.Exception?.Message == "handler broke" && e.Message.Contains("calling it again in 00:00:03")));
    }

    [Fact]
    public async Task Endpoints_change_handlers_are_told_endpoints_changes_only()
    {
        var aggregator = new FakeAggregator();
        await using var config = new EndpointsConfig(aggregator, options: Fast);
        var handler = new Recording<Endpoints>();
        config.RegisterHandler(handler);
        await handler.Calls(1);

        aggregator.Publish("etcd", services: [Versioned("default", "web")]);
        aggregator.Publish("etcd", endpoints: [VersionedEndpoints("default", "web")]);
        await handler.Calls(2);

        Assert.Equal(["initial@0 ", "@2 +default/web@etcd:1"], handler.Seen);
    }

    [Fact]
    public async Task Handlers_lists_every_registration_of_both_kinds_in_order()
    {
        var aggregator = new FakeAggregator();
        await using var config = new ServiceConfig(aggregator, options: Fast);

        config.RegisterHandler(_ => Task.CompletedTask);
        var changes = config.RegisterHandler(new Recording<Service>());
        await Eventually.Until(() => config.Handlers.All(h => h.HasSynced), "both handlers take in the first union");

        Assert.Equal([false, true], config.Handlers.Select(h => h.Changes));
        Assert.Same(changes, config.Handlers[1]);
        Assert.Equal(typeof(Recording<Service>).FullName, changes.Name);
        Assert.All(config.Handlers, h => Assert.Equal(aggregator.Version, h.AppliedVersion));
    }

    [Fact]
    public async Task Disposing_ends_a_wait_for_a_handler_that_never_synced()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        var config = new ServiceConfig(aggregator, options: Fast);
        var registration = config.RegisterHandler(new Recording<Service>());
        var waiting = registration.WaitForSyncAsync();

        await config.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        Assert.Throws<ObjectDisposedException>(() => config.RegisterHandler(new Recording<Service>()));
    }

    [Fact]
    public async Task A_null_change_handler_is_refused()
    {
        await using var config = new ServiceConfig(new FakeAggregator(), options: Fast);
        await using var endpoints = new EndpointsConfig(new FakeAggregator(), options: Fast);

        Assert.Throws<ArgumentNullException>(() => config.RegisterHandler((IServiceChangeHandler)null!));
        Assert.Throws<ArgumentNullException>(() => endpoints.RegisterHandler((IEndpointsChangeHandler)null!));
    }

    /// <summary>Records each call as "[initial]@version " followed by <see cref="ChangeText"/>; never two at once.</summary>
    private sealed class Recording<T>(Func<ConfigChanges<T>, Task>? behaviour = null) : IServiceChangeHandler, IEndpointsChangeHandler
        where T : IConfigItem
    {
        private readonly ConcurrentQueue<string> _seen = new();
        private int _started;
        private int _running;

        public string[] Seen => [.. _seen];

        public int Started => Volatile.Read(ref _started);

        public Task OnChanges(ConfigChanges<Service> changes) => Record((ConfigChanges<T>)(object)changes);

        public Task OnChanges(ConfigChanges<Endpoints> changes) => Record((ConfigChanges<T>)(object)changes);

        public Task Calls(int count) => Eventually.Until(() => _seen.Count >= count && Volatile.Read(ref _running) == 0, $"{count} calls, seen [{string.Join(" | ", _seen)}]");

        private async Task Record(ConfigChanges<T> changes)
        {
            Assert.Equal(1, Interlocked.Increment(ref _running));
            Interlocked.Increment(ref _started);
            _seen.Enqueue($"{(changes.Initial ? "initial" : "")}@{changes.Version.Version} {ChangeText.Of(changes)}");
            try
            {
                if (behaviour is not null) await behaviour(changes);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
