using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Sources.Diagnostics;

/// <summary>What one source adapter records: the problems it meets, by reason, and its reconnects after a failure.</summary>
internal sealed class SourceMetrics
{
    // For an adapter built without a host (tests): one meter for the process.
    private static readonly Meter Shared = new(OrleansConfigMeter.Name);

    private readonly Counter<long> _errors;
    private readonly Counter<long> _reconnects;
    private readonly KeyValuePair<string, object?> _source;
    private readonly KeyValuePair<string, object?> _type;

    private SourceMetrics(Meter meter, string type, string source)
    {
        _source = new("source", source);
        _type = new("type", type);
        _errors = meter.CreateCounter<long>(OrleansConfigMeter.SourceErrors, "{error}",
            "Problems a source adapter met (a lost connection, a bad file or value, a refused update)");
        _reconnects =
            meter.CreateCounter<long>(OrleansConfigMeter.SourceReconnects, "{reconnect}",
            "Times a source adapter connected again after a failure");
    }

    /// <param name="type"><c>etcd</c>, <c>file</c> or <c>api</c>.</param>
    /// <param name="source">The source's name.</param>
    public static SourceMetrics Create(IMeterFactory? meterFactory, string type, string source) =>
        new(meterFactory?.Create(OrleansConfigMeter.Name) ?? Shared, type, source);

    public void Error(string reason, int count = 1) =>
        _errors.Add(count, new TagList { _source, _type, { "reason", reason } });

    public void Reconnected() => _reconnects.Add(1, new TagList { _source, _type });
}
