namespace OrleansConfig.Sources.Etcd;

/// <summary>What one etcd source has done, for tests and (later) metrics.</summary>
internal sealed class EtcdSourceCounters
{
    private long _lists;
    private long _compactions;
    private long _failures;
    private long _badValues;
    private long _watches;
    private long _revision;

    /// <summary>List reads applied (the first, resyncs, and relists after compaction).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Watches ended because their start revision was compacted.</summary>
    public long Compactions => Interlocked.Read(ref _compactions);

    /// <summary>Failed attempts (etcd or the grain unreachable, a call timed out, a watch canceled).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Bad values skipped, each counted once.</summary>
    public long BadValues => Interlocked.Read(ref _badValues);

    /// <summary>Watches etcd established.</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>The etcd revision the source has applied up to.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    internal void Listed() => Interlocked.Increment(ref _lists);

    internal void Compacted() => Interlocked.Increment(ref _compactions);

    internal void Failed() => Interlocked.Increment(ref _failures);

    internal void Bad(int count) => Interlocked.Add(ref _badValues, count);

    internal void Watching() => Interlocked.Increment(ref _watches);

    internal void AppliedUpTo(long revision) => Interlocked.Exchange(ref _revision, revision);
}
