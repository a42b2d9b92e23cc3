using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Client.Diagnostics;

/// <summary>What a <see cref="ServiceConfig"/> or <see cref="EndpointsConfig"/> records: resyncs by reason, and
/// propagation to its view.</summary>
internal sealed class ClientMetrics
{
    // For a client whose container has no IMeterFactory (built without a host): one meter for the process.
    private static readonly Meter Shared = new(OrleansConfigMeter.Name);

    private readonly string _kind;
    private readonly Counter<long> _resyncs;
    private readonly Histogram<double> _propagation;

    private ClientMetrics(Meter meter, string kind)
    {
        _kind = kind;
        // A meter hands back the instrument it already has for the same name, so every subscriber shares these.
        _resyncs =
            meter.CreateCounter<long>(OrleansConfigMeter.SubscriberResyncs, "{resync}",
            "Union snapshots a subscriber took after its first one");
        _propagation = meter.CreateHistogram(OrleansConfigMeter.PropagationDuration, "s",
            "Time from a source grain accepting a change to it being published (stage=publish) or applied by a subscriber's view " +
                "(stage=view)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds });
    }

    /// <param name="meterFactory">The host's meter factory; null uses one shared meter.</param>
    /// <param name="kind"><c>services</c> or <c>endpoints</c>.</param>
    public static ClientMetrics Create(IMeterFactory? meterFactory, string kind) =>
        new(meterFactory?.Create(OrleansConfigMeter.Name) ?? Shared, kind);

    public void Resync(ResyncReason reason) =>
        _resyncs.Add(1, new TagList { { "kind", _kind }, { "reason", ReasonName(reason) } });

    /// <summary>The view applied a change its source grain accepted at <paramref name="changedAt"/>.</summary>
    public void Applied(DateTimeOffset changedAt, DateTimeOffset now)
    {
        // A change re-published from a source's snapshot carries no time of its own.
        if (changedAt == default || !_propagation.Enabled) return;
        var seconds = Math.Max(0, (now - changedAt).TotalSeconds);
        _propagation.Record(seconds, new TagList { { "stage", "view" }, { "kind", _kind } });
    }

    internal static string ReasonName(ResyncReason reason) => reason switch
    {
        ResyncReason.Initial => "initial",
        ResyncReason.Gap => "gap",
        ResyncReason.EpochChanged => "epoch_changed",
        ResyncReason.Behind => "behind",
        ResyncReason.Reconnected => "reconnected",
        ResyncReason.StreamError => "stream_error",
        ResyncReason.Fault => "fault",
        _ => "unknown",
    };
}
