using Microsoft.Extensions.Logging;
using OrleansConfig.Sources.Diagnostics;

namespace OrleansConfig.Sources;

/// <summary>
/// A watching adapter's (etcd, api) line to its SourceGrain, resolved on first use: its updates, and the error the
/// grain shows for it (<c>sources</c>, the status page).
/// Every item was validated before it was sent, so a refused update is a limit or a rule of the grain (the deletion
/// guard, say) and sending it again would not help: it is logged, counted as <c>rejected</c> and reported. The grain
/// then differs from what the adapter watches until a <c>Set</c> of the refused kinds is taken (the next list), so until
/// then the refusal, not "no error", is what <see cref="RecoveredAsync"/> leaves on the grain.
/// </summary>
internal sealed partial class SourceGrainWriter(Func<ISourceGrain> grainFactory, string type, string name, SourceMetrics metrics,
    ILogger logger)
    : IDisposable
{
    // The API source's two kinds' loops write and report concurrently.
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private ISourceGrain? _grain;
    private int _refusedKinds;
    private string? _refusal;
    private string? _reported;
    // Healthy: an update went through, or the adapter said its failures are over; not after it reported one.
    private volatile bool _healthy;

    /// <summary>How often a healthy adapter tells its grain it is alive (see <see cref="RunHeartbeatAsync"/>).</summary>
    public static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(10);

    public ISourceGrain Grain => _grain ??= grainFactory();

    /// <summary>The refusal still standing (no <c>Set</c> of its kinds taken since), or null.</summary>
    public string? Refusal => Volatile.Read(ref _refusedKinds) != 0 ? Volatile.Read(ref _refusal) : null;

    /// <summary>Sends <paramref name="update"/>; a refusal is reported on the grain. Returns whether the grain took it.</summary>
    public async Task<bool> ApplyAsync(SourceUpdate update, CancellationToken cancellationToken)
    {
        var result = await Grain.Apply(update).WaitAsync(cancellationToken);
        if (result.Accepted)
        {
            Interlocked.And(ref _refusedKinds, ~SetKinds(update));
            _healthy = true;
            return true;
        }
        var first = result.Errors.Count > 0 ? result.Errors[0].ToString() : "";
        LogRejected(logger, type, name, result.Errors.Count, first);
        metrics.Error("rejected");
        var refusal = $"{type}: update rejected: {first}";
        Volatile.Write(ref _refusal, refusal);
        Interlocked.Or(ref _refusedKinds, Kinds(update));
        // A refusal is the grain's rule, not a failing watch: the adapter is still alive.
        await ReportAsync(refusal, cancellationToken);
        return false;
    }

    /// <summary>
    /// Shows the adapter's failure <paramref name="error"/> on the grain (best effort: a grain that cannot be reached is
    /// only logged); heartbeats stop until it recovers, so a source that keeps failing goes stale.
    /// </summary>
    public Task ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        _healthy = false;
        return ReportAsync(error, cancellationToken);
    }

    /// <summary>
    /// Tells the grain every <see cref="HeartbeatPeriod"/> that the source is alive, while it is healthy (after its
    /// first accepted update, and not between a reported failure and its recovery). Runs until cancelled.
    /// </summary>
    public async Task RunHeartbeatAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!_healthy) continue;
                try
                {
                    await Grain.Heartbeat().WaitAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHeartbeatFailed(logger, ex, type, name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportAsync(string error, CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken);
        try
        {
            await Grain.ReportError(error).WaitAsync(cancellationToken);
            _reported = error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(logger, ex, type, name);
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <summary>Shows <paramref name="warning"/> (null: none) on the grain, best effort as
    /// <see cref="ReportErrorAsync"/>; false when it could not.</summary>
    public async Task<bool> ReportWarningAsync(string? warning, CancellationToken cancellationToken)
    {
        try
        {
            await Grain.ReportWarning(warning).WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(logger, ex, type, name);
            return false;
        }
    }

    /// <summary>
    /// The adapter's failures are over: clears the grain's error, or puts back a refusal that still stands. Calls the
    /// grain only when that changes what it shows; returns true when it cleared an error.
    /// </summary>
    public async Task<bool> RecoveredAsync(CancellationToken cancellationToken)
    {
        _healthy = true;
        if (Volatile.Read(ref _reported) == Refusal) return false;
        await _reporting.WaitAsync(cancellationToken);
        try
        {
            var error = Refusal;
            if (_reported == error) return false;
            await Grain.ReportError(error).WaitAsync(cancellationToken);
            _reported = error;
            return error is null;
        }
        finally
        {
            _reporting.Release();
        }
    }

    public void Dispose() => _reporting.Dispose();

    private static int Kinds(SourceUpdate update) =>
        (update.Services is null ? 0 : (int)ConfigKinds.Services) | (update.Endpoints is null ? 0 : (int)ConfigKinds.Endpoints);

    private static int SetKinds(SourceUpdate update) =>
        (update.Services?.Op == Operation.Set ? (int)ConfigKinds.Services : 0) | (update.Endpoints?.Op == Operation.Set
            ? (int)ConfigKinds.Endpoints : 0);

    [LoggerMessage(2001, LogLevel.Error, "{Type} source {Source}: update rejected with {Count} error(s), first: {First}")]
    private static partial void LogRejected(ILogger logger, string type, string source, int count, string first);

    [LoggerMessage(2002, LogLevel.Debug, "{Type} source {Source}: could not report its error to the grain")]
    private static partial void LogReportFailed(ILogger logger, Exception ex, string type, string source);

    [LoggerMessage(2003, LogLevel.Debug, "{Type} source {Source}: could not send its heartbeat to the grain")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception ex, string type, string source);
}
