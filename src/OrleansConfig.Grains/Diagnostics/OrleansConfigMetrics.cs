using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansConfig.Diagnostics;

/// <summary>
/// What the grains record on the <c>OrleansConfig</c> meter: updates applied and refused per source, kind and
/// operation; the union's size and version (observed from the last values the aggregator reported, so a scrape
/// never touches grain state); and how long a change took from its source grain to being published.
/// </summary>
internal sealed class OrleansConfigMetrics
{
    private readonly Counter<long> _applied;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _propagation;
    private readonly TimeProvider _time;

    // The aggregator of this silo, if it lives here; null otherwise, so only that silo reports the union.
    private UnionFigures? _union;

    public OrleansConfigMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(OrleansConfigMeter.Name);
        _applied = meter.CreateCounter<long>(OrleansConfigMeter.UpdatesApplied, "{update}", "Updates a source grain accepted");
        _rejected =
            meter.CreateCounter<long>(OrleansConfigMeter.UpdatesRejected, "{update}",
            "Updates a source grain refused; nothing of them was applied");
        _propagation = meter.CreateHistogram(OrleansConfigMeter.PropagationDuration, "s",
            "Time from a source grain accepting a change to it being published (stage=publish) or applied by a subscriber's view " +
                "(stage=view)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds });
        meter.CreateObservableGauge(OrleansConfigMeter.UnionSize, ObserveSize, "{item}", "Items in the union, by kind");
        meter.CreateObservableGauge(OrleansConfigMeter.UnionVersion, ObserveVersion, "{version}",
            "The union's version within its current epoch");
    }

    /// <summary>Counts one update per kind it carries.</summary>
    public void UpdateApplied(string source, SourceUpdate update) => Count(_applied, source, update, reason: null);

    public void UpdateRejected(string source, SourceUpdate update, string reason) => Count(_rejected, source, update, reason);

    /// <summary>The aggregator published <paramref name="delta"/>: the union now has this size and version.</summary>
    public void Published(UnionDelta delta, int services, int endpoints)
    {
        Union(delta.Version, services, endpoints);
        var age = _time.GetUtcNow() - delta.Change.ChangedAt;
        // Clocks of different silos may disagree slightly; a negative age means "immediately".
        _propagation.Record(Math.Max(0, age.TotalSeconds), new KeyValuePair<string, object?>("stage", "publish"));
    }

    /// <summary>The aggregator (re)built or changed the union without publishing a change.</summary>
    public void Union(UnionVersion version, int services, int endpoints) =>
        Volatile.Write(ref _union, new UnionFigures(version.Epoch, version.Version, services, endpoints));

    /// <summary>The aggregator of <paramref name="epoch"/> left this silo: another silo reports the union now.</summary>
    public void UnionGone(Guid epoch)
    {
        var current = Volatile.Read(ref _union);
        if (current is not null && current.Epoch == epoch) Interlocked.CompareExchange(ref _union, null, current);
    }

    private static void Count(Counter<long> counter, string source, SourceUpdate update, string? reason)
    {
        if (!counter.Enabled) return;
        if (update.Services is { } services) counter.Add(1, Tags(source, "services", services.Op, reason));
        if (update.Endpoints is { } endpoints) counter.Add(1, Tags(source, "endpoints", endpoints.Op, reason));
        if (update.EndpointSlices is { } slices) counter.Add(1, Tags(source, "endpointslices", slices.Op, reason));
    }

    private static TagList Tags(string source, string kind, Operation op, string? reason)
    {
        var tags = new TagList
        {
            { "source", source },
            { "kind", kind },
            { "operation", OperationName(op) },
        };
        if (reason is not null) tags.Add("reason", reason);
        return tags;
    }

    private static string OperationName(Operation op) => op switch
    {
        Operation.Set => "set",
        Operation.Add => "add",
        Operation.Remove => "remove",
        _ => "unknown",
    };

    private IEnumerable<Measurement<long>> ObserveSize()
    {
        if (Volatile.Read(ref _union) is not { } union) return [];
        return
        [
            new Measurement<long>(union.Services, new KeyValuePair<string, object?>("kind", "services")),
            new Measurement<long>(union.Endpoints, new KeyValuePair<string, object?>("kind", "endpoints")),
        ];
    }

    private IEnumerable<Measurement<long>> ObserveVersion() =>
        Volatile.Read(ref _union) is { } union ? [new Measurement<long>(union.Version)] : [];

    private sealed record UnionFigures(Guid Epoch, long Version, int Services, int Endpoints);
}
