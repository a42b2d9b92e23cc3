using System.Diagnostics.Metrics;

namespace OrleansConfig.Diagnostics;

/// <summary>
/// The subscriber registry's instruments on the <c>OrleansConfig</c> meter: how many subscribers it holds by kind
/// (only on the silo that holds it) and each report's lag in seconds.
/// </summary>
internal sealed class SubscriberMetrics
{
    // Every kind always, so a dashboard sees 0 rather than a missing series once the last one goes.
    private static readonly string[] Kinds = ["services", "endpoints", "catalog"];

    private readonly Histogram<double> _lag;

    // The registry of this silo, if it lives here; null otherwise, so only that silo reports the gauge.
    private Figures? _figures;

    public SubscriberMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(OrleansConfigMeter.Name);
        meter.CreateObservableGauge(
            OrleansConfigMeter.Subscribers, Observe, "{subscriber}", "Subscribers that reported within the expiry, by kind");
        _lag = meter.CreateHistogram(OrleansConfigMeter.SubscriberLag, "s",
            "Per subscriber report: time since its view took the first change a handler has not processed (0 when caught up)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds });
    }

    public void Reported(SubscriberReport report) =>
        _lag.Record(report.BehindFor.TotalSeconds, new KeyValuePair<string, object?>("kind", report.Kind));

    /// <summary>The registry activation <paramref name="activation"/> now holds these counts.</summary>
    public void Registry(Guid activation, IReadOnlyDictionary<string, int> byKind) =>
        Volatile.Write(ref _figures, new Figures(activation, byKind));

    /// <summary>That activation left this silo: another silo reports the gauge now.</summary>
    public void RegistryGone(Guid activation)
    {
        var current = Volatile.Read(ref _figures);
        if (current is not null && current.Activation == activation) Interlocked.CompareExchange(ref _figures, null, current);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        if (Volatile.Read(ref _figures) is not { } figures) return [];
        return Kinds.Concat(figures.ByKind.Keys).Distinct(StringComparer.Ordinal)
            .Select(kind => new Measurement<long>(figures.ByKind.GetValueOrDefault(kind), new KeyValuePair<string, object?>("kind", kind)));
    }

    private sealed record Figures(Guid Activation, IReadOnlyDictionary<string, int> ByKind);
}
