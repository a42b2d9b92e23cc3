namespace OrleansConfig.Diagnostics;

/// <summary>
/// The meter OrleansConfig records on (<c>System.Diagnostics.Metrics</c>) and its instruments' names, for
/// <c>AddMeter(OrleansConfigMeter.Name)</c> and for dashboards. Silos, sources and the client library each
/// record on a meter of this name.
/// </summary>
public static class OrleansConfigMeter
{
    /// <summary>The meter's name, to enable its instruments in OpenTelemetry or <c>dotnet-counters</c>.</summary>
    public const string Name = "OrleansConfig";

    /// <summary>Counter: updates a source grain accepted. Tags: source, kind, operation.</summary>
    public const string UpdatesApplied = "orleansconfig.updates.applied";

    /// <summary>Counter: updates a source grain refused. Tags: source, kind, operation, reason (invalid, deletion_guard).</summary>
    public const string UpdatesRejected = "orleansconfig.updates.rejected";

    /// <summary>Observable gauge: items in the union, reported by the silo that holds the aggregator. Tag: kind.</summary>
    public const string UnionSize = "orleansconfig.union.size";

    /// <summary>Observable gauge: the union's version within its current epoch, reported by the silo that holds the aggregator.</summary>
    public const string UnionVersion = "orleansconfig.union.version";

    /// <summary>
    /// Histogram (seconds): from a source grain accepting a change to the aggregator publishing it (stage=publish),
    /// and to a subscriber's view applying it (stage=view, with kind).
    /// </summary>
    public const string PropagationDuration = "orleansconfig.propagation.duration";

    /// <summary>Counter: snapshots a subscriber took after its first one. Tags: kind, reason.</summary>
    public const string SubscriberResyncs = "orleansconfig.subscriber.resyncs";

    /// <summary>Counter: problems a source adapter met. Tags: source, type (etcd, file, api), reason.</summary>
    public const string SourceErrors = "orleansconfig.source.errors";

    /// <summary>Counter: a source adapter connected again after a failure. Tags: source, type.</summary>
    public const string SourceReconnects = "orleansconfig.source.reconnects";

    /// <summary>Counter: whole lists a source adapter read and applied (the first, resyncs, relists). Tags: source, type (etcd, api).</summary>
    public const string SourceLists = "orleansconfig.source.lists";

    /// <summary>Counter: watches a source adapter started (etcd: established). Tags: source, type (etcd, api).</summary>
    public const string SourceWatches = "orleansconfig.source.watches";

    /// <summary>Counter: etcd watches ended because their start revision was compacted. Tags: source, type (etcd).</summary>
    public const string SourceCompactions = "orleansconfig.source.compactions";

    /// <summary>Counter: watch events an API source received. Tags: source, type (api), event (change, bookmark).</summary>
    public const string SourceWatchEvents = "orleansconfig.source.watch_events";

    /// <summary>Gauge: the etcd revision a source has applied up to. Tags: source, type (etcd).</summary>
    public const string SourceRevision = "orleansconfig.source.revision";

    /// <summary>Observable gauge: 1 while a source is stale (not heard from for its StaleAfter, or dropped), else 0. Tag: source.</summary>
    public const string SourceStale = "orleansconfig.source.stale";

    /// <summary>Observable gauge: 1 while a silent source's items are out of the union (its DropAfter passed), else 0. Tag: source.</summary>
    public const string SourceDropped = "orleansconfig.source.dropped";

    /// <summary>Observable gauge (seconds): how long since a source was last heard from. Tag: source.</summary>
    public const string SourceSilence = "orleansconfig.source.silence";
    /// <summary>Observable gauge: live subscribers the registry holds, reported by the silo that holds it. Tag: kind.</summary>
    public const string Subscribers = "orleansconfig.subscribers";

    /// <summary>
    /// Histogram (seconds): each subscriber report's time since its view took the first change a handler has not
    /// processed (zero when caught up). Tag: kind.
    /// </summary>
    public const string SubscriberLag = "orleansconfig.subscriber.lag";
}
