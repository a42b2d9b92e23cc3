namespace OrleansConfig.Sources.Api;

/// <summary>
/// The decisions of one kind's list-and-watch loop, without I/O: where to watch from, when to list again,
/// and how long to wait after a failure. It is the original SourceAPI's resourceVersion handling: an empty
/// version lists first; a watch error resets to a list, a timeout keeps the version.
/// </summary>
internal sealed class ApiSyncState(TimeSpan resyncPeriod, Backoff backoff)
{
    private int _goneWithoutProgress;

    /// <summary>The resourceVersion the kind's state is at ("" until the first list).</summary>
    public string ResourceVersion { get; private set; } = "";

    /// <summary>True until a list succeeds, and again after a 410, a failed watch, or when a resync is due.</summary>
    public bool NeedsList { get; private set; } = true;

    /// <summary>When the next periodic list is due (never when the resync period is zero).</summary>
    public DateTimeOffset ResyncDue { get; private set; } = DateTimeOffset.MaxValue;

    /// <summary>The last attempt failed (other than a broken watch) and nothing has succeeded since: the source's error stays.</summary>
    public bool Failing { get; private set; }

    /// <summary>A list read at <paramref name="resourceVersion"/> was applied.</summary>
    public void Listed(string resourceVersion, DateTimeOffset now)
    {
        ResourceVersion = resourceVersion;
        NeedsList = false;
        Failing = false;
        ResyncDue = resyncPeriod > TimeSpan.Zero ? now + resyncPeriod : DateTimeOffset.MaxValue;
        backoff.Reset();
    }

    /// <summary>Watch events up to <paramref name="resourceVersion"/> (a bookmark's included) were applied.</summary>
    public void Advanced(string resourceVersion)
    {
        if (resourceVersion.Length > 0) ResourceVersion = resourceVersion;
        Failing = false;
        _goneWithoutProgress = 0;
        backoff.Reset();
    }

    /// <summary>A list or watch failed: how long to wait before the next attempt, which lists again unless the version
    /// still holds.</summary>
    public TimeSpan Failed(ApiErrorKind error)
    {
        switch (error)
        {
            case ApiErrorKind.Gone:
                // List again at once; but a fresh list's version found too old again, without progress, backs off.
                NeedsList = true;
                return _goneWithoutProgress++ == 0 ? TimeSpan.Zero : backoff.Next();
            case ApiErrorKind.Timeout:
                Failing = true;
                return backoff.Next();
            case ApiErrorKind.Disconnected:
                // Not a failure yet (it is not reported): watching again may well work.
                return backoff.Next();
            default:
                NeedsList = true;
                Failing = true;
                return backoff.Next();
        }
    }

    /// <summary>A watch the server closed without sending anything: wait a little so a server that does so at once is
    /// not hammered.</summary>
    public TimeSpan EndedEmpty() => backoff.Next();

    public bool ResyncIsDue(DateTimeOffset now) => now >= ResyncDue;

    public void ResyncNow() => NeedsList = true;
}
