using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class UnionSubscriptionTests
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);

    private static UnionSubscription Follow(IConfigBackend aggregator, RecordingSink sink, TimeProvider? time = null, bool probe = false)
    {
        var options = new ConfigClientOptions
        {
            ProbeInterval = probe ? ProbeInterval : TimeSpan.Zero,
            SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        };
        var subscription =
            new UnionSubscription(aggregator, sink, options, time ?? TimeProvider.System, NullLogger<UnionSubscription>.Instance);
        subscription.Start();
        return subscription;
    }

    private static string[] Names(RecordingSink sink) => sink.Services.Current().Items.Describe();

    [Fact]
    public async Task Takes_a_snapshot_then_applies_deltas_in_order()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 1"), "the first snapshot");
        aggregator.Publish("etcd", [Versioned("default", "b")]);
        aggregator.Publish("file", [Versioned("default", "a")], removeServices: []);
        await Eventually.Until(() => sink.Calls.Count == 3, "both deltas");

        Assert.Equal(["snapshot 1", "delta 2", "delta 3"], sink.Calls);
        Assert.Equal(["default/a@etcd", "default/a@file", "default/b@etcd"], Names(sink));
        Assert.Equal(0, subscription.ResyncCount);
    }

    [Fact]
    public async Task Deltas_that_arrive_while_the_snapshot_is_taken_are_applied_after_it()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => aggregator.SnapshotCalls == 1, "the snapshot is under way");
        for (var i = 1; i <= 3; i++) aggregator.Publish("etcd", [Versioned("default", $"s{i}")]);
        aggregator.SnapshotGate.SetResult();
        await Eventually.Until(() => sink.Calls.Count == 4, "the snapshot and the buffered deltas");

        Assert.Equal(["snapshot 0", "delta 1", "delta 2", "delta 3"], sink.Calls);
        Assert.Equal(["default/s1@etcd", "default/s2@etcd", "default/s3@etcd"], Names(sink));
        Assert.Equal(0, subscription.ResyncCount);
    }

    [Fact]
    public async Task Buffered_deltas_the_snapshot_already_holds_are_ignored()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource(), CaptureAfterGate = true };
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => aggregator.SnapshotCalls == 1, "the snapshot is under way");
        for (var i = 1; i <= 3; i++) aggregator.Publish("etcd", [Versioned("default", $"s{i}")]);
        aggregator.SnapshotGate.SetResult();
        await Eventually.Until(() => sink.Saw("snapshot 3"), "the snapshot");
        aggregator.Publish("etcd", [Versioned("default", "s4")]);
        await Eventually.Until(() => sink.Saw("delta 4"), "the next delta");

        Assert.Equal(["snapshot 3", "delta 4"], sink.Calls);
        Assert.Equal(0, subscription.ResyncCount);
    }

    [Fact]
    public async Task A_lost_delta_makes_a_gap_that_a_fresh_snapshot_closes()
    {
        var aggregator = new FakeAggregator();
        var lossy = new LossyBackend(aggregator);
        var sink = new RecordingSink();

        await using var subscription = Follow(lossy, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");
        lossy.Keep = d => d.Version.Version != 2;
        for (var i = 1; i <= 3; i++) aggregator.Publish("etcd", [Versioned("default", $"s{i}")]);
        await Eventually.Until(() => subscription.ResyncCount == 1, "a resync");

        Assert.Equal(["snapshot 0", "delta 1", "snapshot 3"], sink.Calls);
        Assert.Equal(["default/s1@etcd", "default/s2@etcd", "default/s3@etcd"], Names(sink));
    }

    [Fact]
    public async Task A_new_aggregator_epoch_makes_a_resync_and_the_old_epochs_late_deltas_are_ignored()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 1"), "the first snapshot");
        var oldEpoch = aggregator.Publish("etcd", [Versioned("default", "b")]);
        await Eventually.Until(() => sink.Saw("delta 2"), "the delta in the first epoch");

        aggregator.Reactivate();
        aggregator.Publish("file", [Versioned("default", "c")]);
        await Eventually.Until(() => subscription.ResyncCount == 1, "a resync into the new epoch");
        Assert.Equal(new UnionVersion(aggregator.Epoch, 1), sink.Services.Version);

        aggregator.Deliver(oldEpoch with { Version = oldEpoch.Version with { Version = 3 } });
        aggregator.Publish("file", [Versioned("default", "d")]);
        await Eventually.Until(() => sink.Calls.Count == 4, "the next delta of the new epoch");

        Assert.Equal(["snapshot 1", "delta 2", "snapshot 1", "delta 2"], sink.Calls);
        Assert.Equal(1, subscription.ResyncCount);
        Assert.Equal(["default/a@etcd", "default/b@etcd", "default/c@file", "default/d@file"], Names(sink));
    }

    [Fact]
    public async Task A_reconnect_subscribes_again_and_resyncs()
    {
        var events = new ClusterConnectionEvents();
        var aggregator = new FakeAggregator { ConnectionEvents = events };
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");

        events.OnConnectionLost();
        aggregator.DropSubscriptions();
        aggregator.Publish("etcd", [Versioned("default", "missed")]);
        events.OnGatewayCountChanged(1, 0);
        await Eventually.Until(() => subscription.ResyncCount == 1, "a resync after the reconnect");
        aggregator.Publish("etcd", [Versioned("default", "after")]);
        await Eventually.Until(() => sink.Saw("delta 2"), "a delta on the new subscription");

        Assert.Equal(["snapshot 0", "snapshot 1", "delta 2"], sink.Calls);
        Assert.Equal(2, aggregator.SubscribeCalls);
        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.Equal(["default/after@etcd", "default/missed@etcd"], Names(sink));
    }

    [Fact]
    public async Task A_stream_error_subscribes_again_and_resyncs()
    {
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");
        aggregator.FailStream();
        await Eventually.Until(() => subscription.ResyncCount == 1, "a resync after the stream error");
        aggregator.Publish("etcd", [Versioned("default", "a")]);

        await Eventually.Until(() => sink.Saw("delta 1"), "a delta on the new subscription");
        Assert.Equal(1, aggregator.ActiveSubscriptions);
    }

    [Fact]
    public async Task A_probe_that_stays_ahead_for_an_interval_makes_a_resync_on_a_fresh_subscription()
    {
        var time = new ManualTimeProvider();
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink, time, probe: true);
        await Eventually.Until(() => sink.Saw("snapshot 0") && time.ActiveTimers == 1, "the first snapshot and a waiting probe");

        // The stream silently stops delivering.
        aggregator.DropSubscriptions();
        aggregator.Publish("etcd", [Versioned("default", "unseen")]);
        time.Advance(ProbeInterval);
        await Eventually.Until(() => aggregator.VersionCalls == 1 && time.ActiveTimers == 1, "the first probe");
        Assert.Equal(0, subscription.ResyncCount);

        time.Advance(ProbeInterval);
        await Eventually.Until(() => subscription.ResyncCount == 1, "a resync after the second probe");

        Assert.Equal(["snapshot 0", "snapshot 1"], sink.Calls);
        Assert.Equal(2, aggregator.SubscribeCalls);
        Assert.Equal(1, aggregator.ActiveSubscriptions);
    }

    [Fact]
    public async Task A_probe_that_the_stream_catches_up_with_makes_no_resync()
    {
        var time = new ManualTimeProvider();
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink, time, probe: true);
        await Eventually.Until(() => sink.Saw("snapshot 0") && time.ActiveTimers == 1, "the first snapshot and a waiting probe");

        var late = aggregator.Publish("etcd", [Versioned("default", "late")], deliver: false);
        time.Advance(ProbeInterval);
        await Eventually.Until(() => aggregator.VersionCalls == 1 && time.ActiveTimers == 1, "the first probe");
        aggregator.Deliver(late);
        time.Advance(ProbeInterval);
        await Eventually.Until(() => aggregator.VersionCalls == 2 && time.ActiveTimers == 1, "the second probe");

        // Signals are handled in order, so once this delta is in, the second probe has been weighed.
        aggregator.Publish("etcd", [Versioned("default", "marker")]);
        await Eventually.Until(() => sink.Saw("delta 2"), "the marker delta");

        Assert.Equal(["snapshot 0", "delta 1", "delta 2"], sink.Calls);
        Assert.Equal(0, subscription.ResyncCount);
        Assert.Equal(1, aggregator.SubscribeCalls);
    }

    [Fact]
    public async Task Failed_subscribes_and_snapshots_are_retried()
    {
        var aggregator = new FakeAggregator { FailSubscribes = 2, FailSnapshots = 2 };
        aggregator.Publish("etcd", [Versioned("default", "a")]);
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 1"), "the first snapshot despite failures");

        Assert.Equal(3, aggregator.SubscribeCalls);
        Assert.Equal(3, aggregator.SnapshotCalls);
        Assert.Equal(1, aggregator.ActiveSubscriptions);
        Assert.Equal(0, subscription.ResyncCount);
    }

    [Fact]
    public async Task Disposing_unsubscribes()
    {
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();
        var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");

        await subscription.DisposeAsync().Within();

        Assert.Equal(0, aggregator.ActiveSubscriptions);
    }

    [Fact]
    public async Task Disposing_while_the_cluster_is_unreachable_returns()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        var sink = new RecordingSink();
        var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => aggregator.SnapshotCalls == 1, "the snapshot is under way");

        await subscription.DisposeAsync().Within();

        Assert.Empty(sink.Calls);
        Assert.Equal(0, aggregator.ActiveSubscriptions);
    }

    [Fact]
    public async Task Elided_delta_is_fetched_from_the_aggregator_and_applied_in_order()
    {
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");
        aggregator.Publish("etcd", [Versioned("default", "big")], elide: true);
        aggregator.Publish("etcd", [Versioned("default", "small")]);
        await Eventually.Until(() => sink.Calls.Count == 3, "both deltas");

        Assert.Equal(["snapshot 0", "delta 1", "delta 2"], sink.Calls);
        Assert.Equal(["default/big@etcd", "default/small@etcd"], Names(sink));
        Assert.Equal(0, subscription.ResyncCount);
    }

    [Fact]
    public async Task Elided_delta_whose_change_is_gone_is_repaired_by_a_snapshot()
    {
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();

        await using var subscription = Follow(aggregator, sink);
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");
        var elided = aggregator.Publish("etcd", [Versioned("default", "big")], deliver: false, elide: true);
        aggregator.ForgetChanges();
        aggregator.Deliver(elided);
        await Eventually.Until(() => sink.Saw("snapshot 1"), "the repairing snapshot");

        Assert.Equal(["default/big@etcd"], Names(sink));
        Assert.Equal(1, subscription.ResyncCount);
    }
}
