namespace OrleansConfig.Sources.Api;

/// <summary>What one API source has done, for tests and (later) metrics.</summary>
internal sealed class ApiSourceCounters
{
    private long _lists;
    private long _expired;
    private long _failures;
    private long _badObjects;
    private long _watches;
    private long _events;
    private long _bookmarks;

    /// <summary>Lists applied, per kind (the first, resyncs, and lists after a 410 or a failed watch).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Watches or lists refused because their resourceVersion was too old (410).</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary>Failed attempts (the server or the grain unreachable, a timeout, a broken watch).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Bad objects skipped, each counted once per version.</summary>
    public long BadObjects => Interlocked.Read(ref _badObjects);

    /// <summary>Watches asked for.</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>Watch events received, bookmarks included.</summary>
    public long Events => Interlocked.Read(ref _events);

    public long Bookmarks => Interlocked.Read(ref _bookmarks);

    internal void Listed() => Interlocked.Increment(ref _lists);

    internal void WasExpired() => Interlocked.Increment(ref _expired);

    internal void Failed() => Interlocked.Increment(ref _failures);

    internal void Bad(int count) => Interlocked.Add(ref _badObjects, count);

    internal void Watching() => Interlocked.Increment(ref _watches);

    internal void Received(int events, int bookmarks)
    {
        Interlocked.Add(ref _events, events);
        Interlocked.Add(ref _bookmarks, bookmarks);
    }
}
