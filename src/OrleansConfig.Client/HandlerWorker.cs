using System.Threading.Channels;

namespace OrleansConfig.Client;

/// <summary>
/// The loop each dispatcher runs its one handler on: wake-ups that collapse into one while the handler is busy, calls
/// started at least <c>MinInterval</c> apart (kube-proxy's bounded-frequency runner), and a stop that waits for a
/// running call, but not forever, since a handler gets no token (the interface is the seed's).
/// </summary>
internal sealed class HandlerWorker
{
    // Capacity one, drop when full: any number of signals while busy collapse into one wake-up.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _disposeTimeout;
    private readonly TimeProvider _time;
    private Task _loop = Task.CompletedTask;
    private long? _lastCallStarted;
    private int _stopped;

    public HandlerWorker(TimeSpan minInterval, TimeSpan disposeTimeout, TimeProvider time)
    {
        _minInterval = minInterval;
        _disposeTimeout = disposeTimeout;
        _time = time;
    }

    /// <summary>The wake-ups: read one before looking at what is owed; completed when the worker stops.</summary>
    public ChannelReader<bool> Wake => _wake.Reader;

    /// <summary>When the last call started (a <see cref="TimeProvider"/> timestamp), if there was one.</summary>
    public long? LastCallStarted => _lastCallStarted;

    public TimeProvider Time => _time;

    /// <summary>Runs <paramref name="loop"/> on the thread pool until the worker stops.</summary>
    public void Start(Func<CancellationToken, Task> loop)
    {
        var cancellationToken = _stop.Token;
        _loop = Task.Run(
            async () =>
            {
                try
                {
                    await loop(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            },
            CancellationToken.None);
    }

    public void Signal() => _wake.Writer.TryWrite(true);

    /// <summary>Waits out what is left of <c>MinInterval</c> since the last call started.</summary>
    public async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_minInterval <= TimeSpan.Zero || _lastCallStarted is not { } started) return;
        var wait = _minInterval - _time.GetElapsedTime(started);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the start of a call, from which the next one is paced.</summary>
    public void CallStarting() => _lastCallStarted = _time.GetTimestamp();

    /// <summary>
    /// Stops the loop and waits up to <c>DisposeTimeout</c> for a running call; <paramref name="stillRunning"/> is told
    /// when that was not enough. False when the worker had already been stopped.
    /// </summary>
    public async ValueTask<bool> StopAsync(Action<TimeSpan> stillRunning)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return false;
        _wake.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(_disposeTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            stillRunning(_disposeTimeout);
        }
        _stop.Dispose();
        return true;
    }
}
