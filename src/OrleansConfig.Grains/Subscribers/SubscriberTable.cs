namespace OrleansConfig.Subscribers;

/// <summary>
/// The registry's state: the last report of each subscriber, keyed by (caller, instance) where the caller is the
/// client as the silo saw it, so one client cannot replace or remove another's entries. Plain, so it is tested
/// without a cluster; the grain only passes in the caller and the time.
/// </summary>
internal sealed class SubscriberTable(SubscriberRegistryOptions options)
{
    private readonly Dictionary<(string Caller, Guid Instance), Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>
    /// Records a report; a caller over <see cref="SubscriberRegistryOptions.MaxPerClient"/> loses its least recently reported entry.
    /// </summary>
    public void Report(string caller, SubscriberReport report, DateTimeOffset now)
    {
        var key = (caller, report.Instance);
        var firstSeen = _entries.TryGetValue(key, out var existing) ? existing.FirstSeen : now;
        _entries[key] = new Entry(report, firstSeen, now);
        var ofCaller = _entries.Where(e => e.Key.Caller == caller).ToList();
        if (ofCaller.Count > options.MaxPerClient)
        {
            _entries.Remove(ofCaller.MinBy(e => e.Value.LastReport).Key);
        }
    }

    /// <summary>True when <paramref name="caller"/> had an entry <paramref name="instance"/>.</summary>
    public bool Remove(string caller, Guid instance) => _entries.Remove((caller, instance));

    /// <summary>Drops entries not reported for <see cref="SubscriberRegistryOptions.ExpireAfter"/>; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        var gone = _entries.Where(e => now - e.Value.LastReport >= options.ExpireAfter).Select(e => e.Key).ToList();
        foreach (var key in gone) _entries.Remove(key);
        return gone.Count;
    }

    /// <summary>Live entries by kind (for the gauge).</summary>
    public IReadOnlyDictionary<string, int> CountByKind() =>
        _entries.Values.GroupBy(e => e.Report.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Every entry, by host, program, process id, kind, client, then instance; lag measured against <paramref name="union"/>.
    /// </summary>
    public IReadOnlyList<SubscriberStatus> List(UnionVersion? union) =>
        [.. _entries
            .OrderBy(e => e.Value.Report.Host, StringComparer.Ordinal)
            .ThenBy(e => e.Value.Report.ProcessName, StringComparer.Ordinal)
            .ThenBy(e => e.Value.Report.ProcessId)
            .ThenBy(e => e.Value.Report.Kind, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Caller, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Instance)
            .Select(e => Status(e.Key.Caller, e.Value, union))];

    /// <summary>
    /// Versions from <paramref name="applied"/> to <paramref name="union"/>; null when not comparable (other epoch, nothing applied).
    /// </summary>
    public static long? VersionsBehind(UnionVersion? applied, UnionVersion? union) =>
        applied is { } a && union is { } u && a.Epoch == u.Epoch ? Math.Max(0, u.Version - a.Version) : null;

    private static SubscriberStatus Status(string caller, Entry entry, UnionVersion? union)
    {
        var report = entry.Report;
        return new SubscriberStatus
        {
            Client = caller,
            Instance = report.Instance,
            Kind = report.Kind,
            Host = report.Host,
            ProcessId = report.ProcessId,
            ProcessName = report.ProcessName,
            Handlers = report.Handlers,
            Applied = report.Applied?.ToString(),
            Received = report.Received?.ToString(),
            Union = union?.ToString(),
            VersionsBehind = VersionsBehind(report.Applied, union),
            SecondsBehind = Math.Round(report.BehindFor.TotalSeconds, 3),
            Resyncs = report.Resyncs,
            LastError = report.LastError,
            LastErrorAt = report.LastErrorAt,
            FirstSeen = entry.FirstSeen,
            LastReport = entry.LastReport,
        };
    }

    private sealed record Entry(SubscriberReport Report, DateTimeOffset FirstSeen, DateTimeOffset LastReport);
}
