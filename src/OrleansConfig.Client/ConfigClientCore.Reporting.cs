using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig.Client;

/// <summary>
/// The subscriber's report to the cluster (<c>orleans-config subscribers</c>): its identity, the version its
/// handlers (told the whole union or the changes) have applied, how long they are behind, resyncs and the last handler
/// error. Kept apart from the core's following of the union; the core only tells it when the view moved, and each
/// handler's registration tells it when a call returned or threw.
/// </summary>
internal sealed partial class ConfigClientCore<T, TUpdate>
{
    private SubscriberProgress? _progress;
    private SubscriberReporter? _reporter;

    private void StartReporting(ISubscriberReportTarget? target)
    {
        if (target is null || _options.ReportInterval == TimeSpan.Zero) return;
        var progress = new SubscriberProgress(_kind.Name, _time);
        _progress = progress;
        _reporter = new SubscriberReporter(
            () => progress.Read(_registrations, () => _view.HasSnapshot ? _view.Version : null, ResyncCount),
            target, _options.ReportInterval, _options.DisposeTimeout, _time, _loggerFactory.CreateLogger<SubscriberReporter>());
        _reporter.Start();
    }

    /// <summary>
    /// The view is at <paramref name="version"/> and <paramref name="generation"/> now; called under the apply lock before any dispatcher is told, so a
    /// handler's generation is always known.
    /// </summary>
    private void ViewMoved(UnionVersion version, long generation)
    {
        if (_progress is null) return;
        _progress.ViewMoved(generation, version);
        _reporter?.Signal();
    }

    /// <summary>A registration's calls signal the reporter, so a handler catching up or failing is reported at once.</summary>
    private void Track(HandlerRegistration registration)
    {
        if (_reporter is { } reporter) registration.Progressed = reporter.Signal;
    }
}
