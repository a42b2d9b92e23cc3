using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Diagnostics;

namespace OrleansConfig.Client;

/// <summary>
/// Follows the union: subscribes to the stream, takes a snapshot, then applies the stream's deltas in version
/// order, taking a fresh snapshot on a gap, an epoch change, a reconnect, or a probe that shows it stays behind.
/// One loop does all of it, so deltas that arrive while a snapshot is in flight wait in its queue.
/// </summary>
internal sealed partial class UnionSubscription : IAsyncDisposable
{
    /// <summary>Deltas applied before the sink is told to pass them on, however many more are queued.</summary>
    internal const int MaxRun = 64;

    private readonly IConfigBackend _backend;
    private readonly IUnionSink _sink;
    private readonly ClusterConnectionEvents? _events;
    private readonly ConfigClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClientMetrics? _metrics;
    private readonly DeltaSequencer _sequencer = new();
    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();

    private IAsyncDisposable? _streamSubscription;
    private Task _loop = Task.CompletedTask;
    private Task _probe = Task.CompletedTask;
    private long _resyncCount;
    private int _started;
    private int _disposed;

    public UnionSubscription(
        IConfigBackend backend,
        IUnionSink sink,
        ConfigClientOptions options,
        TimeProvider time,
        ILogger<UnionSubscription> logger,
        ClientMetrics? metrics = null)
    {
        _backend = backend;
        _sink = sink;
        _events = backend.ConnectionEvents;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Snapshots taken after the first one.</summary>
    internal long ResyncCount => Interlocked.Read(ref _resyncCount);

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        if (_events is not null) _events.Reconnected += OnReconnected;
        var cancellationToken = _stop.Token;
        _loop = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);
        if (_options.ProbeInterval > TimeSpan.Zero) _probe = Task.Run(() => ProbeAsync(cancellationToken), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_events is not null) _events.Reconnected -= OnReconnected;

        await _stop.CancelAsync().ConfigureAwait(false);
        _signals.Writer.TryComplete();
        await Task.WhenAll(_loop, _probe).ConfigureAwait(false);

        // The loop has ended, so the subscription field is ours alone now.
        if (_streamSubscription is { } subscription) await UnsubscribeQuietlyAsync(subscription).ConfigureAwait(false);
        _stop.Dispose();
    }

    private void OnDelta(UnionDelta delta)
    {
        _signals.Writer.TryWrite(new Signal(SignalKind.Delta, delta, default));
    }

    private void OnStreamError(Exception exception)
    {
        LogStreamError(_logger, exception);
        _signals.Writer.TryWrite(new Signal(SignalKind.StreamError, null, default));
    }

    private void OnReconnected() => _signals.Writer.TryWrite(new Signal(SignalKind.Reconnected, null, default));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Subscribe before the snapshot so no delta can fall between the two.
            await SubscribeAsync(cancellationToken).ConfigureAwait(false);
            await HandleSafelyAsync(new Signal(SignalKind.Initial, null, default), cancellationToken).ConfigureAwait(false);

            while (await _signals.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Everything queued is applied, then the sink tells its handlers once: a burst of deltas costs each handler one
                // wake-up. A run is bounded so a steady stream still reaches the handlers.
                var run = 0;
                while (_signals.Reader.TryRead(out var signal))
                {
                    await HandleSafelyAsync(signal, cancellationToken).ConfigureAwait(false);
                    if (++run < MaxRun) continue;
                    _sink.EndOfRun();
                    run = 0;
                }
                if (run > 0) _sink.EndOfRun();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleSafelyAsync(Signal signal, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(signal, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failure mid-apply may leave the view torn; a snapshot makes it whole again.
            LogLoopFault(_logger, exception);
            _signals.Writer.TryWrite(new Signal(SignalKind.Fault, null, default));
        }
    }

    private async Task HandleAsync(Signal signal, CancellationToken cancellationToken)
    {
        switch (signal.Kind)
        {
            case SignalKind.Delta:
                var delta = signal.Delta!;
                var current = _sequencer.Current;
                switch (_sequencer.OnDelta(delta.Version))
                {
                    case DeltaDecision.Apply when delta.Elided:
                        // Too large for the stream: fetch exactly this change; if it is gone, a snapshot (at or past it) will do.
                        if (await _backend.GetChangeAsync(delta.Version, _sink.Kinds, cancellationToken)
                            .ConfigureAwait(false) is { } change)
                        {
                            _sink.ApplyDelta(delta with { Change = change, Elided = false });
                        }
                        else
                        {
                            LogElidedGone(_logger, delta.Version);
                            await ResyncAsync(ResyncReason.Gap, cancellationToken).ConfigureAwait(false);
                        }
                        break;
                    case DeltaDecision.Apply:
                        _sink.ApplyDelta(delta);
                        break;
                    case DeltaDecision.Ignore:
                        LogDeltaIgnored(_logger, delta.Version, current);
                        break;
                    case DeltaDecision.Resync:
                        if (current is { } held && held.Epoch != delta.Version.Epoch)
                        {
                            // A new aggregator activation: expected after a silo restart, not a fault.
                            LogEpochChanged(_logger, delta.Version, held);
                            await ResyncAsync(ResyncReason.EpochChanged, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            LogGap(_logger, delta.Version, current);
                            await ResyncAsync(ResyncReason.Gap, cancellationToken).ConfigureAwait(false);
                        }
                        break;
                }
                break;

            case SignalKind.Probe:
                if (_sequencer.OnProbe(signal.Probe) == ProbeDecision.Resync)
                {
                    LogBehind(_logger, _sequencer.Current, signal.Probe);

                    // A stream that let us fall behind for a whole interval may be dead: subscribe afresh too.
                    await ResubscribeAsync(cancellationToken).ConfigureAwait(false);
                    await ResyncAsync(ResyncReason.Behind, cancellationToken).ConfigureAwait(false);
                }
                break;

            case SignalKind.Initial:
                await ResyncAsync(ResyncReason.Initial, cancellationToken).ConfigureAwait(false);
                break;

            case SignalKind.Fault:
                // Only a bug gets here; pause so a repeating one cannot spin.
                await Task.Delay(_options.SnapshotRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                await ResyncAsync(ResyncReason.Fault, cancellationToken).ConfigureAwait(false);
                break;

            case SignalKind.Reconnected:
            case SignalKind.StreamError:
                LogResubscribing(_logger, signal.Kind);
                await ResubscribeAsync(cancellationToken).ConfigureAwait(false);
                await ResyncAsync(signal.Kind == SignalKind.Reconnected ? ResyncReason.Reconnected : ResyncReason.StreamError,
                    cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var backoff = Backoff.Doubling(_options.SnapshotRetryDelay, _options.MaxRetryDelay);
        var delay = backoff.Next();
        while (true)
        {
            try
            {
                _streamSubscription = await _backend.SubscribeAsync(OnDelta, OnStreamError, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogSubscribeFailed(_logger, exception, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = backoff.Next();
            }
        }
    }

    // New subscription first, then drop the old one: duplicates in between are ignored, nothing is missed.
    // One attempt only: the snapshot that follows must not wait on a stream that cannot be reached; the next
    // probe tries again, and meanwhile snapshots keep the view exact.
    private async Task ResubscribeAsync(CancellationToken cancellationToken)
    {
        var old = _streamSubscription;
        try
        {
            _streamSubscription = await _backend.SubscribeAsync(OnDelta, OnStreamError, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogSubscribeFailed(_logger, exception, _options.ProbeInterval);
            return;
        }
        if (old is not null) await UnsubscribeQuietlyAsync(old).ConfigureAwait(false);
    }

    private async Task UnsubscribeQuietlyAsync(IAsyncDisposable subscription)
    {
        try
        {
            // After a reconnect the old handle may point at nothing; do not let it hold us up.
            await subscription.DisposeAsync().AsTask().WaitAsync(_options.DisposeTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogUnsubscribeFailed(_logger, exception);
        }
    }

    private async Task ResyncAsync(ResyncReason reason, CancellationToken cancellationToken)
    {
        var backoff = Backoff.Doubling(_options.SnapshotRetryDelay, _options.MaxRetryDelay);
        var delay = backoff.Next();
        while (true)
        {
            UnionSnapshot snapshot;
            try
            {
                snapshot = await _backend.GetSnapshotAsync(_sink.Kinds, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogSnapshotFailed(_logger, exception, reason, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = backoff.Next();
                continue;
            }

            var current = _sequencer.Current;
            if (_sequencer.OnSnapshot(snapshot.Version) == SnapshotDecision.Accept)
            {
                _sink.ApplySnapshot(snapshot);
                LogSnapshotApplied(_logger, snapshot.Version, reason, snapshot.Services.Count, snapshot.Endpoints.Count);
            }
            else
            {
                LogSnapshotStale(_logger, snapshot.Version, current);
            }

            if (reason != ResyncReason.Initial)
            {
                Interlocked.Increment(ref _resyncCount);
                _metrics?.Resync(reason);
            }
            return;
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ProbeInterval, _time, cancellationToken).ConfigureAwait(false);
                try
                {
                    var version = await _backend.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                    _signals.Writer.TryWrite(new Signal(SignalKind.Probe, null, version));
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    LogProbeFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private enum SignalKind
    {
        Initial,
        Fault,
        Delta,
        Probe,
        Reconnected,
        StreamError,
    }

    private readonly record struct Signal(SignalKind Kind, UnionDelta? Delta, UnionVersion Probe);

    [LoggerMessage(101, LogLevel.Warning, "Subscribing to the union stream failed; retrying in {RetryIn}")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, TimeSpan retryIn);

    [LoggerMessage(102, LogLevel.Warning, "Taking a union snapshot ({Reason}) failed; retrying in {RetryIn}")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, ResyncReason reason, TimeSpan retryIn);

    [LoggerMessage(103, LogLevel.Information, "Took union snapshot {Version} ({Reason}): {Services} services, {Endpoints} endpoints")]
    private static partial void LogSnapshotApplied(ILogger logger, UnionVersion version, ResyncReason reason, int services, int endpoints);

    [LoggerMessage(104, LogLevel.Debug, "Union snapshot {Version} is older than the view's {Current}; kept the view")]
    private static partial void LogSnapshotStale(ILogger logger, UnionVersion version, UnionVersion? current);

    [LoggerMessage(105, LogLevel.Trace, "Ignored union delta {Version}; the view holds {Current}")]
    private static partial void LogDeltaIgnored(ILogger logger, UnionVersion version, UnionVersion? current);

    [LoggerMessage(106, LogLevel.Warning,
        "Union delta {Version} does not follow the view's {Current}: deltas were lost; taking a snapshot")]
    private static partial void LogGap(ILogger logger, UnionVersion version, UnionVersion? current);

    [LoggerMessage(107, LogLevel.Warning,
        "The view {Current} stayed behind the aggregator {Aggregator} for a probe interval; taking a snapshot")]
    private static partial void LogBehind(ILogger logger, UnionVersion? current, UnionVersion aggregator);

    [LoggerMessage(108, LogLevel.Information, "Subscribing to the union stream again ({Cause})")]
    private static partial void LogResubscribing(ILogger logger, SignalKind cause);

    [LoggerMessage(109, LogLevel.Warning, "The union stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception);

    [LoggerMessage(110, LogLevel.Debug, "Probing the aggregator's version failed")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(111, LogLevel.Debug, "Unsubscribing from the union stream failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(112, LogLevel.Error, "Following the union failed; taking a snapshot")]
    private static partial void LogLoopFault(ILogger logger, Exception exception);

    [LoggerMessage(114, LogLevel.Information,
        "Union delta {Version} is from a new aggregator epoch (the view holds {Current}); taking a snapshot")]
    private static partial void LogEpochChanged(ILogger logger, UnionVersion version, UnionVersion current);

    [LoggerMessage(115, LogLevel.Information, "The change of union delta {Version} is no longer kept by the aggregator; taking a snapshot")]
    private static partial void LogElidedGone(ILogger logger, UnionVersion version);
}
