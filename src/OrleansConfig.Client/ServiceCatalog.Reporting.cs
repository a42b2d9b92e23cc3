using Microsoft.Extensions.Logging;
using OrleansConfig.Client;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig;

/// <summary>
/// The catalog's report to the cluster, kind <c>catalog</c> (<c>orleans-config subscribers</c>): its handlers, the
/// version they have all processed, how long they are behind, resyncs and the last handler error; the same reporter
/// and the same rules as <see cref="ServiceConfig"/> and <see cref="EndpointsConfig"/>.
/// </summary>
public sealed partial class ServiceCatalog
{
    /// <summary>The subscriber kind the catalog reports as.</summary>
    internal const string ReportKind = "catalog";

    private SubscriberProgress? _progress;
    private SubscriberReporter? _reporter;

    private void StartReporting(ISubscriberReportTarget? target)
    {
        if (target is null || _options.Client.ReportInterval == TimeSpan.Zero) return;
        var progress = new SubscriberProgress(ReportKind, _time);
        _progress = progress;
        _reporter = new SubscriberReporter(
            () => Read(progress), target, _options.Client.ReportInterval, _options.Client.DisposeTimeout, _time,
            _loggerFactory.CreateLogger<SubscriberReporter>());
        _reporter.Start();
    }

    private SubscriberReport Read(SubscriberProgress progress) =>
        progress.Read([.. _dispatchers.Select(d => d.Registration)], () => Volatile.Read(ref _hasSnapshot) ? Version : null, ResyncCount);

    /// <summary>The catalog is at <paramref name="version"/> (called under the lock, before handlers are told).</summary>
    private void ViewMoved(UnionVersion version)
    {
        if (_progress is null) return;
        _progress.ViewMoved(_generation, version);
        _reporter?.Signal();
    }

    private void Track(HandlerRegistration registration)
    {
        if (_reporter is { } reporter) registration.Progressed = reporter.Signal;
    }
}
