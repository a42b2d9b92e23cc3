using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class DeltaSequencerTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static DeltaSequencer At(UnionVersion version)
    {
        var sequencer = new DeltaSequencer();
        Assert.Equal(SnapshotDecision.Accept, sequencer.OnSnapshot(version));
        return sequencer;
    }

    [Fact]
    public void Deltas_in_order_are_applied()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(DeltaDecision.Apply, sequencer.OnDelta(V(Epoch, 6)));
        Assert.Equal(DeltaDecision.Apply, sequencer.OnDelta(V(Epoch, 7)));
        Assert.Equal(V(Epoch, 7), sequencer.Current);
    }

    [Fact]
    public void Duplicate_and_older_deltas_are_ignored()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(DeltaDecision.Ignore, sequencer.OnDelta(V(Epoch, 5)));
        Assert.Equal(DeltaDecision.Ignore, sequencer.OnDelta(V(Epoch, 1)));
        Assert.Equal(DeltaDecision.Apply, sequencer.OnDelta(V(Epoch, 6)));
        Assert.Equal(DeltaDecision.Ignore, sequencer.OnDelta(V(Epoch, 6)));
        Assert.Equal(V(Epoch, 6), sequencer.Current);
    }

    [Fact]
    public void A_gap_needs_a_resync()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(DeltaDecision.Resync, sequencer.OnDelta(V(Epoch, 7)));
        Assert.Equal(V(Epoch, 5), sequencer.Current);
    }

    [Fact]
    public void A_delta_from_another_epoch_needs_a_resync()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(DeltaDecision.Resync, sequencer.OnDelta(V(Guid.NewGuid(), 1)));
        Assert.Equal(DeltaDecision.Resync, sequencer.OnDelta(V(Guid.NewGuid(), 6)));
    }

    [Fact]
    public void A_delta_before_any_snapshot_needs_a_resync()
    {
        Assert.Equal(DeltaDecision.Resync, new DeltaSequencer().OnDelta(V(Epoch, 1)));
    }

    [Fact]
    public void After_moving_to_a_new_epoch_the_old_epochs_deltas_and_snapshots_are_ignored()
    {
        var sequencer = At(V(Epoch, 5));
        var next = Guid.NewGuid();

        Assert.Equal(SnapshotDecision.Accept, sequencer.OnSnapshot(V(next, 2)));
        Assert.Equal(DeltaDecision.Ignore, sequencer.OnDelta(V(Epoch, 6)));
        Assert.Equal(SnapshotDecision.Stale, sequencer.OnSnapshot(V(Epoch, 9)));
        Assert.Equal(DeltaDecision.Apply, sequencer.OnDelta(V(next, 3)));
    }

    [Fact]
    public void A_snapshot_older_than_the_view_in_the_same_epoch_is_stale()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(SnapshotDecision.Stale, sequencer.OnSnapshot(V(Epoch, 4)));
        Assert.Equal(V(Epoch, 5), sequencer.Current);
        Assert.Equal(SnapshotDecision.Accept, sequencer.OnSnapshot(V(Epoch, 5)));
        Assert.Equal(SnapshotDecision.Accept, sequencer.OnSnapshot(V(Epoch, 9)));
        Assert.Equal(V(Epoch, 9), sequencer.Current);
    }

    [Fact]
    public void A_probe_that_finds_us_level_is_in_sync()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(ProbeDecision.InSync, sequencer.OnProbe(V(Epoch, 5)));
        Assert.Equal(ProbeDecision.InSync, sequencer.OnProbe(V(Epoch, 5)));
    }

    [Fact]
    public void Falling_behind_needs_a_resync_only_when_still_behind_at_the_next_probe()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(Epoch, 7)));
        Assert.Equal(DeltaDecision.Apply, sequencer.OnDelta(V(Epoch, 6)));
        Assert.Equal(ProbeDecision.Resync, sequencer.OnProbe(V(Epoch, 8)));
    }

    [Fact]
    public void A_busy_aggregator_that_we_keep_up_with_never_triggers_a_resync()
    {
        var sequencer = At(V(Epoch, 5));

        // Always behind the latest, but each time past what the previous probe saw: the stream is delivering.
        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(Epoch, 7)));
        sequencer.OnDelta(V(Epoch, 6));
        sequencer.OnDelta(V(Epoch, 7));
        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(Epoch, 9)));
        sequencer.OnDelta(V(Epoch, 8));
        sequencer.OnDelta(V(Epoch, 9));
        Assert.Equal(ProbeDecision.InSync, sequencer.OnProbe(V(Epoch, 9)));
    }

    [Fact]
    public void An_aggregator_in_another_epoch_that_stays_there_needs_a_resync()
    {
        var sequencer = At(V(Epoch, 5));
        var next = Guid.NewGuid();

        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(next, 0)));
        Assert.Equal(ProbeDecision.Resync, sequencer.OnProbe(V(next, 0)));
    }

    [Fact]
    public void A_snapshot_clears_what_the_last_probe_saw()
    {
        var sequencer = At(V(Epoch, 5));

        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(Epoch, 7)));

        // Short of 7, but the snapshot is fresh: the stream gets a whole interval again.
        sequencer.OnSnapshot(V(Epoch, 6));
        Assert.Equal(ProbeDecision.Watch, sequencer.OnProbe(V(Epoch, 8)));
    }
}
