using System.Diagnostics.Metrics;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>
/// Listens to the silo's and the clients' own propagation histogram (<c>orleansconfig.propagation.duration</c>, counted
/// from a source accepting a change) in this process, and hands each measurement to <paramref name="record"/> with its
/// stage: <c>publish</c> (the aggregator published it) or <c>view</c> (a subscriber's view applied it).
/// </summary>
internal sealed class PropagationStages(Action<string, double> record) : IDisposable
{
    private readonly MeterListener _listener = new();

    /// <summary>Starts listening; measurements before this are not seen.</summary>
    public void Start()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansConfigMeter.Name && instrument.Name == OrleansConfigMeter.PropagationDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage") record((string?)tag.Value ?? "", seconds * 1000);
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
