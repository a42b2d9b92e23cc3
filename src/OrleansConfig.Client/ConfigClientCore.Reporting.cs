using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig.Client;

/// <summary>
/// The subscriber's report to the cluster (<c>orleans-config subscribers</c>): its identity, the version its
/// handlers have applied, how long they are behind, resyncs and the last handler error. Kept apart from the core's
/// following of the union; the core only tells it when the view moved and when a handler returned.
/// </summary>
internal sealed partial class ConfigClientCore<T, TUpdate>
{
    private static readonly (string Host, int ProcessId, string ProcessName) Identity = (
        Environment.MachineName,
        Environment.ProcessId,
        Assembly.GetEntryAssembly()?.GetName().Name ?? Process.GetCurrentProcess().ProcessName);

    private readonly Guid _instance = Guid.NewGuid();
    private readonly AppliedVersions _applied = new();
    private ImmutableArray<HandlerProgress> _progress = [];
    private SubscriberReporter? _reporter;

    private void StartReporting(ISubscriberReportTarget? target)
    {
        if (target is null || _options.ReportInterval == TimeSpan.Zero) return;
        _reporter = new SubscriberReporter(
            ReadReport, target, _options.ReportInterval, _options.DisposeTimeout, _time, _loggerFactory.CreateLogger<SubscriberReporter>());
        _reporter.Start();
    }

    /// <summary>
    /// The view is at <paramref name="version"/> now (called before dispatchers are signalled, so a handler's generation is
    /// always known).
    /// </summary>
    private void ViewMoved(UnionVersion version)
    {
        if (_reporter is null) return;
        _applied.Advance(_view.Generation, version, _time.GetTimestamp());
        _reporter.Signal();
    }

    /// <summary>Wraps a handler so its returns and throws are recorded; the dispatcher still sees what it threw.</summary>
    private Func<IReadOnlyList<T>, Task> Tracked(string name, Func<IReadOnlyList<T>, Task> handler, Func<HandlerDispatcher<T>?> dispatcher)
    {
        var progress = new HandlerProgress(name);
        lock (_lock) _progress = _progress.Add(progress);
        return async items =>
        {
            // Set before the call and not changed during it: calls of one dispatcher never overlap.
            var generation = dispatcher()?.Delivered ?? 0;
            try
            {
                await handler(items).ConfigureAwait(false);
                progress.Returned(generation);
            }
            catch (Exception exception)
            {
                progress.Threw(exception, _time.GetUtcNow());
                throw;
            }
            finally
            {
                _reporter?.Signal();
            }
        };
    }

    private SubscriberReport ReadReport()
    {
        var handlers = _progress;
        long? lowest = handlers.IsEmpty ? null : handlers.Min(h => h.Applied);
        _applied.Prune(lowest ?? long.MaxValue);
        var behindSince = lowest is { } low ? _applied.FirstAfter(low) : null;
        var error = handlers.Select(h => h.Error).Where(e => e is not null).MaxBy(e => e!.Value.At);
        return new SubscriberReport
        {
            Instance = _instance,
            Kind = _kind.Name,
            Host = Identity.Host,
            ProcessId = Identity.ProcessId,
            ProcessName = Identity.ProcessName,
            Handlers = [.. handlers.Select(h => h.Name)],
            Applied = lowest is > 0 ? _applied.VersionAt(lowest.Value) : null,
            Received = _view.HasSnapshot ? _view.Version : null,
            BehindFor = behindSince is { } since ? _time.GetElapsedTime(since) : TimeSpan.Zero,
            Resyncs = Subscription.ResyncCount,
            LastError = error?.Message,
            LastErrorAt = error?.At,
        };
    }
}
