using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Sources.Diagnostics;

/// <summary>
/// What one source adapter records: the problems it meets, by reason, its reconnects after a failure, and how it
/// follows its store (lists, watches, compactions, watch events, the revision applied).
/// </summary>
internal sealed class SourceMetrics
{
    // For an adapter built without a host (tests): one meter for the process.
    private static readonly Meter Shared = new(OrleansConfigMeter.Name);

    private readonly Counter<long> _errors;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _lists;
    private readonly Counter<long> _watches;
    private readonly Counter<long> _compactions;
    private readonly Counter<long> _watchEvents;
    private readonly Gauge<long> _revision;
    private readonly KeyValuePair<string, object?> _source;
    private readonly KeyValuePair<string, object?> _type;

    private SourceMetrics(Meter meter, string type, string source)
    {
        _source = new("source", source);
        _type = new("type", type);
        _errors = meter.CreateCounter<long>(OrleansConfigMeter.SourceErrors, "{error}", "Problems a source adapter met (a lost connection, a bad file or value, a refused update)");
        _reconnects = meter.CreateCounter<long>(OrleansConfigMeter.SourceReconnects, "{reconnect}", "Times a source adapter connected again after a failure");
        _lists = meter.CreateCounter<long>(OrleansConfigMeter.SourceLists, "{list}", "Whole lists a source adapter read and applied (the first, resyncs, relists)");
        _watches = meter.CreateCounter<long>(OrleansConfigMeter.SourceWatches, "{watch}", "Watches a source adapter started");
        _compactions = meter.CreateCounter<long>(OrleansConfigMeter.SourceCompactions, "{compaction}", "Watches ended because their start revision was compacted");
        _watchEvents = meter.CreateCounter<long>(OrleansConfigMeter.SourceWatchEvents, "{event}", "Watch events a source adapter received, bookmarks included");
        _revision = meter.CreateGauge<long>(OrleansConfigMeter.SourceRevision, "{revision}", "The store revision a source adapter has applied up to");
    }

    /// <param name="meterFactory">The host's meter factory; null uses one shared meter.</param>
    /// <param name="type"><c>etcd</c>, <c>file</c> or <c>api</c>.</param>
    /// <param name="source">The source's name.</param>
    public static SourceMetrics Create(IMeterFactory? meterFactory, string type, string source) =>
        new(meterFactory?.Create(OrleansConfigMeter.Name) ?? Shared, type, source);

    public void Error(string reason, int count = 1) =>
        _errors.Add(count, new TagList { _source, _type, { "reason", reason } });

    public void Reconnected() => _reconnects.Add(1, new TagList { _source, _type });

    /// <param name="resource">The API resource listed (the <c>resource</c> tag), or null (etcd, file).</param>
    public void Listed(string? resource = null) => _lists.Add(1, Tags(resource));

    /// <param name="resource">The API resource watched (the <c>resource</c> tag), or null.</param>
    public void Watching(string? resource = null) => _watches.Add(1, Tags(resource));

    public void Compacted() => _compactions.Add(1, new TagList { _source, _type });

    /// <param name="events">Events received, bookmarks included.</param>
    /// <param name="bookmarks">How many of them were bookmarks.</param>
    /// <param name="resource">The API resource watched (the <c>resource</c> tag), or null.</param>
    public void Received(int events, int bookmarks, string? resource = null)
    {
        if (events > bookmarks)
        {
            var tags = Tags(resource);
            tags.Add("event", "change");
            _watchEvents.Add(events - bookmarks, tags);
        }
        if (bookmarks > 0)
        {
            var tags = Tags(resource);
            tags.Add("event", "bookmark");
            _watchEvents.Add(bookmarks, tags);
        }
    }

    private TagList Tags(string? resource)
    {
        var tags = new TagList { _source, _type };
        if (resource is not null) tags.Add("resource", resource);
        return tags;
    }

    public void AppliedUpTo(long revision) => _revision.Record(revision, new TagList { _source, _type });
}
