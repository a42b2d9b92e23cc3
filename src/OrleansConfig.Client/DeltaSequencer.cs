namespace OrleansConfig.Client;

internal enum DeltaDecision
{
    /// <summary>The next version: apply it.</summary>
    Apply,

    /// <summary>Already in the view (a duplicate, older than the snapshot, or from a retired epoch).</summary>
    Ignore,

    /// <summary>A gap or another epoch: only a fresh snapshot can bring the view up to date.</summary>
    Resync,
}

internal enum SnapshotDecision
{
    Accept,

    /// <summary>Older than what the view holds; taking it would move handlers back in time.</summary>
    Stale,
}

internal enum ProbeDecision
{
    InSync,

    /// <summary>Behind the aggregator: give the stream one probe interval to catch up.</summary>
    Watch,

    /// <summary>Still short of what the aggregator had a whole probe interval ago: deltas were lost.</summary>
    Resync,
}

/// <summary>
/// Decides, without I/O, what a subscriber does with each delta, snapshot and version probe, given the version
/// its view holds. Not thread-safe: the subscription's single loop owns it.
/// </summary>
internal sealed class DeltaSequencer
{
    // Epochs we moved away from; their late deltas must not trigger resyncs (a fresh epoch never repeats).
    private const int RetiredCapacity = 16;
    private readonly Queue<Guid> _retiredOrder = new();
    private readonly HashSet<Guid> _retired = [];

    private UnionVersion? _probeTarget;

    /// <summary>The version the view holds; null before the first snapshot.</summary>
    public UnionVersion? Current { get; private set; }

    public DeltaDecision OnDelta(UnionVersion incoming)
    {
        if (Current is not { } current) return DeltaDecision.Resync;
        if (incoming.Epoch != current.Epoch) return _retired.Contains(incoming.Epoch) ? DeltaDecision.Ignore : DeltaDecision.Resync;
        if (incoming.Version <= current.Version) return DeltaDecision.Ignore;
        if (incoming.Version != current.Version + 1) return DeltaDecision.Resync;

        Current = incoming;
        return DeltaDecision.Apply;
    }

    public SnapshotDecision OnSnapshot(UnionVersion snapshot)
    {
        if (Current is { } current)
        {
            if (_retired.Contains(snapshot.Epoch)) return SnapshotDecision.Stale;
            if (snapshot.Epoch == current.Epoch && snapshot.Version < current.Version) return SnapshotDecision.Stale;
            if (snapshot.Epoch != current.Epoch) Retire(current.Epoch);
        }

        Current = snapshot;
        _probeTarget = null;
        return SnapshotDecision.Accept;
    }

    /// <summary>Compares the aggregator's version with ours; lag must outlast one probe interval before it counts.</summary>
    public ProbeDecision OnProbe(UnionVersion aggregator)
    {
        if (Current is not { } current || _retired.Contains(aggregator.Epoch)) return ProbeDecision.InSync;

        if (Reached(current, aggregator))
        {
            _probeTarget = null;
            return ProbeDecision.InSync;
        }

        if (_probeTarget is { } target && !Reached(current, target))
        {
            _probeTarget = null;
            return ProbeDecision.Resync;
        }

        _probeTarget = aggregator;
        return ProbeDecision.Watch;
    }

    private static bool Reached(UnionVersion current, UnionVersion target) =>
        current.Epoch == target.Epoch && current.Version >= target.Version;

    private void Retire(Guid epoch)
    {
        if (!_retired.Add(epoch)) return;
        _retiredOrder.Enqueue(epoch);
        if (_retiredOrder.Count > RetiredCapacity) _retired.Remove(_retiredOrder.Dequeue());
    }
}
