using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// Calls one catalog handler with the keys that changed, one call at a time. Keys posted while it is busy gather in one
/// pending set (a key changed twice is one key), so a slow handler catches up in one call and holds up nobody else.
/// Calls start at least <c>MinInterval</c> apart; a call that throws is made again after <c>RetryInterval</c> with its
/// keys and any gathered since, so no change is lost.
/// </summary>
internal sealed partial class CatalogDispatcher : IAsyncDisposable
{
    private readonly Func<IReadOnlyCollection<ObjectKey>, Task> _handler;
    private readonly TimeSpan _retryInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HandlerWorker _worker;
    private readonly Lock _lock = new();
    private HashSet<ObjectKey> _pending = [];
    private bool _initialPending;

    // The catalog's version and content generation as of the newest key posted: what a call with the pending keys brings
    // the handler to.
    private UnionVersion _pendingVersion;
    private long _pendingGeneration;
    private long _calls;

    public CatalogDispatcher(
        string name,
        Func<IReadOnlyCollection<ObjectKey>, Task> handler,
        TimeSpan minInterval,
        TimeSpan retryInterval,
        TimeSpan disposeTimeout,
        TimeProvider time,
        ILogger<CatalogDispatcher> logger)
    {
        Registration = new HandlerRegistration(name, changes: true);
        _handler = handler;
        _retryInterval = retryInterval;
        _time = time;
        _logger = logger;
        _worker = new HandlerWorker(minInterval, disposeTimeout, time);
    }

    public string Name => Registration.Name;

    /// <summary>The handler's progress: the version and generation of its last successful call, its last failure.</summary>
    public HandlerRegistration Registration { get; }

    /// <summary>Calls that returned without throwing.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public void Start() => _worker.Start(RunAsync);

    /// <summary>
    /// Adds keys to the next call, which brings the handler to the catalog at <paramref name="version"/> and
    /// <paramref name="generation"/> (or a newer one posted meanwhile); <paramref name="initial"/> makes that call happen
    /// even with no key (the first one).
    /// </summary>
    public void Post(IEnumerable<ObjectKey> keys, UnionVersion version, long generation, bool initial = false)
    {
        lock (_lock)
        {
            _pending.UnionWith(keys);
            _initialPending |= initial;
            if (generation >= _pendingGeneration)
            {
                _pendingGeneration = generation;
                _pendingVersion = version;
            }
            if (_pending.Count == 0 && !_initialPending) return;
        }
        _worker.Signal();
    }

    public async ValueTask DisposeAsync()
    {
        if (await _worker.StopAsync(timeout => LogHandlerStillRunning(_logger, Name, timeout)).ConfigureAwait(false))
        {
            Registration.Stopped();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _worker.Wake.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _worker.Wake.TryRead(out _);
            await _worker.PaceAsync(cancellationToken).ConfigureAwait(false);

            // Taken only now, so the call carries every key posted while we waited.
            HashSet<ObjectKey> keys;
            UnionVersion version;
            long generation;
            lock (_lock)
            {
                if (_pending.Count == 0 && !_initialPending) continue;
                keys = _pending;
                _pending = [];
                _initialPending = false;
                version = _pendingVersion;
                generation = _pendingGeneration;
            }
            _worker.CallStarting();

            try
            {
                await _handler([.. keys.Order()]).ConfigureAwait(false);
                Interlocked.Increment(ref _calls);
                Registration.Applied(version, generation);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(_logger, exception, Name, keys.Count, _retryInterval);
                Registration.Failed(exception, _time.GetUtcNow());
                await Task.Delay(_retryInterval, _time, cancellationToken).ConfigureAwait(false);
                // The initial flag goes back too: a first call that failed is still owed, even with no key.
                Post(keys, version, generation, initial: Calls == 0);
            }
        }
    }

    [LoggerMessage(470, LogLevel.Error, "Catalog handler {Handler} failed on {Keys} changed services; calling it again in {RetryIn}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, int keys, TimeSpan retryIn);

    [LoggerMessage(471, LogLevel.Warning, "Catalog handler {Handler} was still running {Timeout} after disposal began; not waiting for it")]
    private static partial void LogHandlerStillRunning(ILogger logger, string handler, TimeSpan timeout);
}
