namespace OrleansConfig.Client.Reporting;

/// <summary>
/// Maps the view's generations (what a handler is called with) to union versions and to when the view took them,
/// so a subscriber can say which version its handlers have applied and since when they are behind. Entries older
/// than the slowest handler's are pruned; beyond <see cref="Capacity"/> every other middle entry goes (the oldest
/// unapplied one, whose time is the lag, and the newest stay), so a stuck handler cannot grow it without bound.
/// </summary>
internal sealed class AppliedVersions
{
    public const int Capacity = 1024;

    private readonly Lock _lock = new();
    private readonly List<Mark> _marks = [];

    /// <summary>
    /// The view is at <paramref name="generation"/> and <paramref name="version"/>; a version change without a content
    /// change moves the current generation's version on.
    /// </summary>
    public void Advance(long generation, UnionVersion version, long timestamp)
    {
        if (generation <= 0) return;
        lock (_lock)
        {
            if (_marks.Count > 0 && _marks[^1].Generation == generation)
            {
                _marks[^1] = _marks[^1] with { Version = version };
                return;
            }
            _marks.Add(new Mark(generation, version, timestamp));
            if (_marks.Count > Capacity) Thin();
        }
    }

    /// <summary>
    /// Under the lock, when full: every other middle entry goes in one pass, so a view moving faster than reports prune
    /// costs O(1) per change on average rather than a shift of the whole list each time.
    /// </summary>
    private void Thin()
    {
        var kept = 2;
        for (var i = 2; i < _marks.Count - 1; i += 2) _marks[kept++] = _marks[i];
        _marks[kept++] = _marks[^1];
        _marks.RemoveRange(kept, _marks.Count - kept);
    }

    /// <summary>
    /// The newest version whose content is that of <paramref name="generation"/> (or the nearest older one kept); null when
    /// none is.
    /// </summary>
    public UnionVersion? VersionAt(long generation)
    {
        lock (_lock)
        {
            for (var i = _marks.Count - 1; i >= 0; i--)
            {
                if (_marks[i].Generation <= generation) return _marks[i].Version;
            }
            return null;
        }
    }

    /// <summary>When the view took the first generation after <paramref name="generation"/>; null when there is none.</summary>
    public long? FirstAfter(long generation)
    {
        lock (_lock)
        {
            foreach (var mark in _marks)
            {
                if (mark.Generation > generation) return mark.Timestamp;
            }
            return null;
        }
    }

    /// <summary>Forgets what no handler can ask about: everything before the last entry at or below <paramref name="lowest"/>.</summary>
    public void Prune(long lowest)
    {
        lock (_lock)
        {
            var keep = _marks.FindLastIndex(m => m.Generation <= lowest);
            if (keep > 0) _marks.RemoveRange(0, keep);
        }
    }

    public int Count
    {
        get { lock (_lock) return _marks.Count; }
    }

    private readonly record struct Mark(long Generation, UnionVersion Version, long Timestamp);
}
