using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansConfig.Tests.Diagnostics;

/// <summary>
/// A meter factory of the test's own and a listener for exactly its meters, so measurements from other tests
/// running at the same time (or the process-wide fallback meters) never mix in.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<Recorded> _recorded = [];

    public MetricRecorder()
    {
        Factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, Factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    public IMeterFactory Factory { get; }

    /// <summary>Every measurement of <paramref name="instrument"/> so far; an observable one is read afresh, once.</summary>
    public IReadOnlyList<Recorded> Of(string instrument)
    {
        lock (_lock) _recorded.RemoveAll(r => r.Observable);
        _listener.RecordObservableInstruments();
        lock (_lock) return [.. _recorded.Where(r => r.Instrument == instrument)];
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags) map[key] = tag?.ToString() ?? "";
        lock (_lock) _recorded.Add(new Recorded(instrument.Name, value, map, instrument.IsObservable));
    }

    internal sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags, bool Observable)
    {
        /// <summary>"key=value,key=value" in key order, for assertions that read like the Prometheus text.</summary>
        public string Labels => string.Join(",", Tags.Select(t => $"{t.Key}={t.Value}"));
    }
}
