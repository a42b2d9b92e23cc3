namespace OrleansConfig.Sources.Etcd;

/// <summary>
/// The decisions of the list-and-watch loop, without I/O: where to watch from, when to list again, and how long
/// to wait after a failure.
/// </summary>
internal sealed class EtcdSyncState(TimeSpan resyncPeriod, Backoff backoff)
{
    /// <summary>The etcd revision the source's state is at: everything up to it has been applied.</summary>
    public long Revision { get; private set; }

    /// <summary>True until a list succeeds, and again when the watch's start revision is compacted.</summary>
    public bool NeedsList { get; private set; } = true;

    /// <summary>When the next periodic list is due.</summary>
    public DateTimeOffset ResyncDue { get; private set; } = DateTimeOffset.MaxValue;

    public long WatchFrom => Revision + 1;

    /// <summary>A list read at <paramref name="revision"/> was applied: the state is that revision's.</summary>
    public void Listed(long revision, DateTimeOffset now)
    {
        Revision = revision;
        NeedsList = false;
        ResyncDue = now + resyncPeriod;
        backoff.Reset();
    }

    public bool IsNew(long revision) => revision > Revision;

    /// <summary>The updates of <paramref name="revision"/> were applied.</summary>
    public void Applied(long revision)
    {
        if (revision > Revision) Revision = revision;
        backoff.Reset();
    }

    public WatchStep Decide(EtcdWatchResponse response)
    {
        if (response.CompactRevision > 0)
        {
            NeedsList = true;
            return WatchStep.Relist;
        }
        if (response.Canceled) return WatchStep.Fail;
        // An established watch alone does not reset the backoff: only applied progress does, so a watch
        // that opens and then fails at once (the grain unreachable) keeps backing off.
        if (response.Created) return WatchStep.Established;
        return response.Events.Count > 0 ? WatchStep.Apply : WatchStep.None;
    }

    /// <summary>A call failed: how long to wait before trying again. The state is kept meanwhile.</summary>
    public TimeSpan Failed() => backoff.Next();
}
