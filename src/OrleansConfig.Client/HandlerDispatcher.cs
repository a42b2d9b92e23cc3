using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// Calls one handler with the union, one call at a time. A signal only says "something changed"; the worker reads
/// the view when it is free, so while the handler is busy newer states replace older ones (latest wins), and a slow
/// handler holds up nobody else. Calls start at least <c>MinInterval</c> apart and, with <c>MaxInterval</c>, at most that
/// far apart even without a change (kube-proxy's bounded-frequency runner and its periodic resync).
/// </summary>
internal sealed partial class HandlerDispatcher<T> : IAsyncDisposable where T : class, IConfigItem
{
    private readonly Func<IReadOnlyList<T>, Task> _handler;
    private readonly UnionView<T> _view;
    private readonly TimeSpan? _maxInterval;
    private readonly ILogger _logger;
    private readonly HandlerWorker _worker;
    private long _delivered;

    public HandlerDispatcher(
        string name,
        Func<IReadOnlyList<T>, Task> handler,
        UnionView<T> view,
        TimeSpan minInterval,
        TimeSpan disposeTimeout,
        TimeProvider time,
        ILogger<HandlerDispatcher<T>> logger,
        TimeSpan? maxInterval = null)
    {
        Registration = new HandlerRegistration(name, changes: false);
        _maxInterval = maxInterval;
        _handler = handler;
        _view = view;
        _logger = logger;
        _worker = new HandlerWorker(minInterval, disposeTimeout, time);
    }

    public string Name => Registration.Name;

    /// <summary>Whether the handler has taken in a union, the version of its last successful call, its last failure.</summary>
    public HandlerRegistration Registration { get; }

    /// <summary>The generation the handler was last called with (0: never).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Starts the worker; a handler registered after the first snapshot is called with the current union at once.</summary>
    public void Start()
    {
        _worker.Start(RunAsync);
        if (_view.HasSnapshot) Signal();
    }

    public void Signal() => _worker.Signal();

    public async ValueTask DisposeAsync()
    {
        if (await _worker.StopAsync(timeout => LogHandlerStillRunning(_logger, Name, timeout)).ConfigureAwait(false))
        {
            Registration.Stopped();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            // No signal to read: MaxInterval has passed since the last call, which is owed again as it is.
            var periodic = !_worker.Wake.TryRead(out _);
            if (!periodic && _view.Generation <= _delivered) continue;

            await _worker.PaceAsync(cancellationToken).ConfigureAwait(false);

            // Read the view only now, so the call carries the newest state, whatever arrived while we waited.
            var state = _view.Current();
            if (!periodic && state.Generation <= _delivered) continue;
            Interlocked.Exchange(ref _delivered, state.Generation);
            _worker.CallStarting();

            try
            {
                await _handler(state.Items).ConfigureAwait(false);
                Registration.Applied(state.Version, state.Generation);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(_logger, exception, Name, state.Version);
                Registration.Failed(exception, _worker.Time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// True when there is a signal to read or MaxInterval has passed since the last call; false once disposal completes the channel.
    /// </summary>
    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        var wake = _worker.Wake;
        if (_maxInterval is not { } max || _worker.LastCallStarted is not { } started)
        {
            return await wake.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var remaining = max - _worker.Time.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero) return !wake.Completion.IsCompleted;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = wake.WaitToReadAsync(either.Token).AsTask();
        var elapsed = Task.Delay(remaining, _worker.Time, either.Token);
        var first = await Task.WhenAny(woken, elapsed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        if (first == woken) return await woken.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return !wake.Completion.IsCompleted;
    }

    [LoggerMessage(201, LogLevel.Error, "Handler {Handler} failed on the union at {Version}; it will be called again on the next change")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, UnionVersion version);

    [LoggerMessage(202, LogLevel.Warning, "Handler {Handler} was still running {Timeout} after disposal began; not waiting for it")]
    private static partial void LogHandlerStillRunning(ILogger logger, string handler, TimeSpan timeout);
}
