using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Tests.Diagnostics;

/// <summary>
/// What one etcd or API source recorded on its meters: a meter factory of the test's own (give it to the source)
/// and a collector per instrument on exactly that factory, so sources of other tests never mix in.
/// </summary>
internal sealed class SourceMeters : IDisposable
{
    private readonly ServiceProvider? _services;
    private readonly MetricCollector<long> _lists;
    private readonly MetricCollector<long> _watches;
    private readonly MetricCollector<long> _errors;
    private readonly MetricCollector<long> _compactions;
    private readonly MetricCollector<long> _watchEvents;
    private readonly MetricCollector<long> _revision;

    /// <param name="factory">A factory the test already has (its <see cref="MetricRecorder"/>'s); else one of its own.</param>
    public SourceMeters(IMeterFactory? factory = null)
    {
        if (factory is null)
        {
            _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            factory = _services.GetRequiredService<IMeterFactory>();
        }
        Factory = factory;
        _lists = Collect(OrleansConfigMeter.SourceLists);
        _watches = Collect(OrleansConfigMeter.SourceWatches);
        _errors = Collect(OrleansConfigMeter.SourceErrors);
        _compactions = Collect(OrleansConfigMeter.SourceCompactions);
        _watchEvents = Collect(OrleansConfigMeter.SourceWatchEvents);
        _revision = Collect(OrleansConfigMeter.SourceRevision);
    }

    public IMeterFactory Factory { get; }

    /// <summary>Lists applied (the first, resyncs, relists; the API source counts each kind).</summary>
    public long Lists => Sum(_lists);

    /// <summary>Watches started (etcd: established).</summary>
    public long Watches => Sum(_watches);

    /// <summary>Failed attempts: the store or the grain unreachable, a timeout, a broken or canceled watch.</summary>
    public long Failures => Sum(_errors, "reason", "connection", "list", "disconnected");

    /// <summary>API: watches or lists refused because their resourceVersion was too old (410).</summary>
    public long Expired => Sum(_errors, "reason", "expired");

    /// <summary>Bad values (etcd) or objects (API) skipped, each counted once.</summary>
    public long BadValues => Sum(_errors, "reason", "bad_value");

    /// <summary>etcd: watches ended because their start revision was compacted.</summary>
    public long Compactions => Sum(_compactions);

    /// <summary>API: bookmark events received.</summary>
    public long Bookmarks => Sum(_watchEvents, "event", "bookmark");

    /// <summary>etcd: the revision the source has applied up to (0 before its first list).</summary>
    public long Revision => _revision.LastMeasurement?.Value ?? 0;

    public void Dispose()
    {
        foreach (var collector in new[] { _lists, _watches, _errors, _compactions, _watchEvents, _revision }) collector.Dispose();
        _services?.Dispose();
    }

    private MetricCollector<long> Collect(string instrument) => new(Factory, OrleansConfigMeter.Name, instrument);

    private static long Sum(MetricCollector<long> collector, string? tag = null, params string[] values) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tag is null || (m.Tags.TryGetValue(tag, out var value) && values.Contains(value as string)))
            .Sum(m => m.Value);
}
