using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client.Reporting;

/// <summary>
/// Sends a subscriber's report to the cluster on its own loop, so reporting never slows or breaks the subscriber:
/// at once when what it reports changes (but no sooner than <see cref="MinGap"/> after the last report), and every
/// interval regardless, which keeps its entry from expiring. One call at a time, each bounded by the interval;
/// failures are logged at debug and the next report tries again.
/// </summary>
internal sealed partial class SubscriberReporter : IAsyncDisposable
{
    private readonly Func<SubscriberReport> _read;
    private readonly ISubscriberReportTarget _target;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _removeTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private Guid _sent;
    private int _disposed;

    public SubscriberReporter(
        Func<SubscriberReport> read,
        ISubscriberReportTarget target,
        TimeSpan interval,
        TimeSpan removeTimeout,
        TimeProvider time,
        ILogger<SubscriberReporter> logger)
    {
        _read = read;
        _target = target;
        _interval = interval;
        _removeTimeout = removeTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>The least time between two reports: a fifth of the interval (1 s by default).</summary>
    public TimeSpan MinGap => _interval / 5;

    /// <summary>Reports sent so far (tests and diagnostics).</summary>
    public int Sent { get; private set; }

    public void Start()
    {
        var cancellationToken = _stop.Token;
        _loop = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Something the report holds may have changed.</summary>
    public void Signal() => _wake.Writer.TryWrite(true);

    /// <summary>Stops reporting and, if a report was sent, removes the entry (within the remove bound).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        if (_sent == Guid.Empty) return;
        try
        {
            using var timeout = new CancellationTokenSource(_removeTimeout, _time);
            await _target.RemoveAsync(_sent, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The registry expires the entry anyway.
            LogRemoveFailed(_logger, exception);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        SubscriberReport? last = null;
        long lastAt = 0;
        try
        {
            while (true)
            {
                if (last is not null)
                {
                    // Wait for a change or the heartbeat, whichever comes first.
                    var untilHeartbeat = _interval - _time.GetElapsedTime(lastAt);
                    if (untilHeartbeat > TimeSpan.Zero)
                    {
                        using var heartbeat = new CancellationTokenSource(untilHeartbeat, _time);
                        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, heartbeat.Token);
                        try
                        {
                            await _wake.Reader.ReadAsync(either.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                        }
                    }
                    var untilAllowed = MinGap - _time.GetElapsedTime(lastAt);
                    if (untilAllowed > TimeSpan.Zero) await Task.Delay(untilAllowed, _time, cancellationToken).ConfigureAwait(false);
                }

                var report = _read();
                if (last is not null && report.SameAs(last) && _time.GetElapsedTime(lastAt) < _interval) continue;
                lastAt = _time.GetTimestamp();
                last = report;
                await SendAsync(report, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(SubscriberReport report, CancellationToken cancellationToken)
    {
        try
        {
            await _target.ReportAsync(report, cancellationToken).WaitAsync(_interval, _time, cancellationToken).ConfigureAwait(false);
            _sent = report.Instance;
            Sent++;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(_logger, exception);
        }
    }

    [LoggerMessage(481, LogLevel.Debug, "Reporting this subscriber to the cluster failed; the next report tries again")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(482, LogLevel.Debug, "Removing this subscriber's entry from the cluster failed; it expires there")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception);
}
