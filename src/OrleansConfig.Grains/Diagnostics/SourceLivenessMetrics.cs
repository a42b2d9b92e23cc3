using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansConfig.State;

namespace OrleansConfig.Diagnostics;

/// <summary>
/// Per source whose grain is active on this silo: whether it is stale or dropped and how long it has been silent,
/// computed when scraped from what its grain last noted, so a scrape never touches grain state.
/// </summary>
internal sealed class SourceLivenessMetrics
{
    private readonly ConcurrentDictionary<string, Entry> _sources = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SourceLivenessMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(OrleansConfigMeter.Name);
        meter.CreateObservableGauge(OrleansConfigMeter.SourceStale, () => Observe(e => e.IsStale(_time.GetUtcNow()) ? 1 : 0), "{source}",
            "1 while a source has not been heard from for its StaleAfter (or is dropped), else 0. Tag: source");
        meter.CreateObservableGauge(OrleansConfigMeter.SourceDropped, () => Observe(e => e.Dropped ? 1 : 0), "{source}",
            "1 while a silent source's items are out of the union (its DropAfter passed), else 0. Tag: source");
        meter.CreateObservableGauge(OrleansConfigMeter.SourceSilence, ObserveSilence, "s",
            "Seconds since a source was last heard from (an accepted update, a heartbeat). Tag: source");
    }

    /// <summary>Starts reporting <paramref name="source"/>; its grain keeps the entry up to date.</summary>
    public Entry Track(string source, SourceLiveness liveness, DateTimeOffset heardAt)
    {
        var entry = new Entry(source, liveness, heardAt);
        _sources[source] = entry;
        return entry;
    }

    /// <summary>Stops reporting the source (its grain left this silo), unless a newer activation took over.</summary>
    public void Untrack(Entry entry) => _sources.TryRemove(KeyValuePair.Create(entry.Source, entry));

    private IEnumerable<Measurement<int>> Observe(Func<Entry, int> value) =>
        [.. _sources.Values.Select(e => new Measurement<int>(value(e), new KeyValuePair<string, object?>("source", e.Source)))];

    private IEnumerable<Measurement<double>> ObserveSilence()
    {
        var now = _time.GetUtcNow();
        return [.. _sources.Values.Select(e => new Measurement<double>(
            Math.Max(0, (now - e.HeardAt).TotalSeconds), new KeyValuePair<string, object?>("source", e.Source)))];
    }

    /// <summary>One source's figures, written by its grain and read by scrapes.</summary>
    internal sealed class Entry(string source, SourceLiveness liveness, DateTimeOffset heardAt)
    {
        private long _heardAtTicks = heardAt.UtcTicks;
        private volatile bool _dropped;

        public string Source { get; } = source;

        public DateTimeOffset HeardAt
        {
            get => new(Volatile.Read(ref _heardAtTicks), TimeSpan.Zero);
            set => Volatile.Write(ref _heardAtTicks, value.UtcTicks);
        }

        public bool Dropped
        {
            get => _dropped;
            set => _dropped = value;
        }

        public bool IsStale(DateTimeOffset now) => Dropped || liveness.IsStale(HeardAt, now);
    }
}
