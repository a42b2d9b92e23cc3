using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// Calls one change handler, one call at a time (client-go's <c>processorListener</c>). The view's changes are
/// folded into <see cref="PendingChanges{T}"/> as they are applied, so while the handler is busy they collapse to the
/// difference between what it last saw and the view now; a call that throws puts its batch back under the newer
/// changes and the handler is called again after <c>RetryInterval</c>.
/// </summary>
internal sealed partial class ChangeDispatcher<T> : IAsyncDisposable where T : class, IConfigItem
{
    private readonly Func<ConfigChanges<T>, Task> _handler;
    private readonly TimeSpan _retryInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HandlerWorker _worker;
    private readonly Lock _lock = new();
    private readonly PendingChanges<T> _pending = new();

    // The view when the handler registered, owed to it as added; taken by the first call.
    private ImmutableSortedDictionary<UnionKey, T>? _base;
    private UnionVersion _version;
    private long _generation;
    private bool _ready;
    private bool _synced;

    public ChangeDispatcher(
        string name,
        Func<ConfigChanges<T>, Task> handler,
        TimeSpan minInterval,
        TimeSpan retryInterval,
        TimeSpan disposeTimeout,
        TimeProvider time,
        ILogger<ChangeDispatcher<T>> logger)
    {
        _handler = handler;
        _retryInterval = retryInterval;
        _time = time;
        _logger = logger;
        _worker = new HandlerWorker(minInterval, disposeTimeout, time);
        Registration = new HandlerRegistration(name, changes: true);
    }

    public HandlerRegistration Registration { get; }

    public string Name => Registration.Name;

    /// <summary>Items not yet delivered (for tests and reporting).</summary>
    public int PendingCount
    {
        get { lock (_lock) return _pending.Count + (_base?.Count ?? 0); }
    }

    /// <summary>
    /// The view as it stood at registration (at <paramref name="generation"/>), if it held a snapshot then; called before
    /// any <see cref="Enqueue"/>.
    /// </summary>
    public void Seed(UnionVersion version, long generation, ImmutableSortedDictionary<UnionKey, T> items)
    {
        lock (_lock)
        {
            _base = items;
            _version = version;
            _generation = generation;
            _ready = true;
        }
        Signal();
    }

    /// <summary>The view's changes at <paramref name="version"/> and <paramref name="generation"/>, in the order applied; O(changes).</summary>
    public void Enqueue(UnionVersion version, long generation, IReadOnlyList<ItemChange<T>> changes)
    {
        lock (_lock)
        {
            foreach (var change in changes) _pending.Fold(change.Key, change.Old, change.New);
            _version = version;
            _generation = generation;
            // The first snapshot makes the handler ready, even an empty one: its initial call is owed.
            _ready = true;
        }
        Signal();
    }

    public void Start() => _worker.Start(RunAsync);

    public async ValueTask DisposeAsync()
    {
        if (await _worker.StopAsync(timeout => LogHandlerStillRunning(_logger, Name, timeout)).ConfigureAwait(false))
        {
            Registration.Stopped();
        }
    }

    private void Signal() => _worker.Signal();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _worker.Wake.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _worker.Wake.TryRead(out _);
            // Calls until nothing is owed: a failed call is retried here, without waiting for a new change.
            while (await CallOnceAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(_retryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Delivers what is owed, if anything; true when the handler threw and must be called again.</summary>
    private async Task<bool> CallOnceAsync(CancellationToken cancellationToken)
    {
        await _worker.PaceAsync(cancellationToken).ConfigureAwait(false);

        PendingChanges<T> batch;
        ImmutableSortedDictionary<UnionKey, T>? seed;
        UnionVersion version;
        long generation;
        lock (_lock)
        {
            if (!_ready || (_synced && _pending.Count == 0)) return false;
            batch = _pending.Take();
            seed = _base;
            _base = null;
            version = _version;
            generation = _generation;
        }

        if (seed is not null)
        {
            // O(n) once, outside the lock so the subscription never waits on it: the registration-time view, then what followed.
            var all = PendingChanges<T>.AllAdded(seed);
            batch.Restore(all);
            batch = all;
        }

        var initial = !_synced;
        var changes = batch.ToChanges(version, initial);
        _worker.CallStarting();
        try
        {
            await _handler(changes).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(_logger, exception, Name, version, _retryInterval);
            Registration.Failed(exception, _time.GetUtcNow());
            lock (_lock) _pending.Restore(batch);
            return true;
        }

        _synced = true;
        Registration.Applied(version, generation);
        return false;
    }

    [LoggerMessage(450, LogLevel.Error,
        "Change handler {Handler} failed on the changes up to {Version}; calling it again in {RetryIn} with them")]
    private static partial void LogHandlerFailed(
        ILogger logger, Exception exception, string handler, UnionVersion version, TimeSpan retryIn);

    [LoggerMessage(451, LogLevel.Warning, "Change handler {Handler} was still running {Timeout} after disposal began; not waiting for it")]
    private static partial void LogHandlerStillRunning(ILogger logger, string handler, TimeSpan timeout);
}
