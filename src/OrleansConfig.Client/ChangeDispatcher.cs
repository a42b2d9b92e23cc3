using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// Calls one change handler, one call at a time (client-go's <c>processorListener</c>). It is owed a range of the
/// union's <see cref="ChangeFeed{T}"/> (O(1) to extend, whatever the change); a call folds that range, so while the
/// handler is busy its changes collapse to the difference between what it last saw and the view now, and handlers
/// asking for the same range share one fold. What cannot be shared (the registration-time view, a failed call's batch,
/// a range grown past <see cref="MaxChainItems"/>) is folded into the handler's own <see cref="PendingChanges{T}"/>.
/// A call that throws puts its batch back under the newer changes and the handler is called again after
/// <c>RetryInterval</c>.
/// </summary>
internal sealed partial class ChangeDispatcher<T> : IAsyncDisposable where T : class, IConfigItem
{
    /// <summary>
    /// Changes owed as a range before they are folded into the handler's own pending set: a stuck handler holds at most
    /// this many changes of the feed, then the distinct keys they touched, as before there was a feed.
    /// </summary>
    internal const int MaxChainItems = 4096;

    private readonly Func<ConfigChanges<T>, Task> _handler;
    private readonly ChangeFeed<T> _feed;
    private readonly TimeSpan _retryInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HandlerWorker _worker;
    private readonly Lock _lock = new();
    private readonly PendingChanges<T> _pending = new();

    // The view when the handler registered, owed to it as added; taken by the first call.
    private ImmutableSortedDictionary<UnionKey, T>? _base;

    // The range of the feed owed and not yet folded into _pending (both null: none), and how many changes it holds.
    private ChangeBatch<T>? _first;
    private ChangeBatch<T>? _last;
    private int _chainItems;
    private UnionVersion _version;
    private long _generation;
    private bool _ready;
    private bool _synced;

    public ChangeDispatcher(
        string name,
        Func<ConfigChanges<T>, Task> handler,
        ChangeFeed<T> feed,
        TimeSpan minInterval,
        TimeSpan retryInterval,
        TimeSpan disposeTimeout,
        TimeProvider time,
        ILogger<ChangeDispatcher<T>> logger)
    {
        _handler = handler;
        _feed = feed;
        _retryInterval = retryInterval;
        _time = time;
        _logger = logger;
        _worker = new HandlerWorker(minInterval, disposeTimeout, time);
        Registration = new HandlerRegistration(name, changes: true);
    }

    public HandlerRegistration Registration { get; }

    /// <summary>Changes owed as a range of the feed, not yet folded into the handler's own pending set (tests).</summary>
    internal int OwedInFeed
    {
        get { lock (_lock) return _chainItems; }
    }

    public string Name => Registration.Name;

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

    /// <summary>The view moved on by <paramref name="batch"/> (the next batch of the feed); O(1).</summary>
    public void Enqueue(ChangeBatch<T> batch)
    {
        lock (_lock)
        {
            _first ??= batch;
            _last = batch;
            _chainItems += batch.Changes.Count;
            if (_chainItems > MaxChainItems) FoldChain();
            _version = batch.Version;
            _generation = batch.Generation;
            // The first snapshot makes the handler ready, even an empty one: its initial call is owed.
            _ready = true;
        }
        Signal();
    }

    // Under _lock: the range owed so far becomes part of the handler's own pending set.
    private void FoldChain()
    {
        if (_first is null) return;
        ChangeFeed<T>.FoldInto(_pending, _first, _last!);
        _first = _last = null;
        _chainItems = 0;
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

        PendingChanges<T> pending;
        ImmutableSortedDictionary<UnionKey, T>? seed;
        ChangeBatch<T>? first, last;
        UnionVersion version;
        long generation;
        lock (_lock)
        {
            if (!_ready || (_synced && _pending.Count == 0 && _first is null)) return false;
            pending = _pending.Take();
            (first, last) = (_first, _last);
            _first = _last = null;
            _chainItems = 0;
            seed = _base;
            _base = null;
            version = _version;
            generation = _generation;
        }

        var initial = !_synced;
        ConfigChanges<T> changes;
        PendingChanges<T>? batch = null;
        if (!initial && seed is null && pending.Count == 0 && first is not null)
        {
            // The common case: only a range of the feed, folded once for every handler that asks for it.
            changes = _feed.Fold(first, last!);
        }
        else
        {
            // O(n) once for the seed, outside the lock so the subscription never waits on it: the registration-time
            // view, then what was folded since, then the range.
            if (seed is null)
            {
                batch = pending;
            }
            else
            {
                batch = PendingChanges<T>.AllAdded(seed);
                pending.Restore(batch);
            }
            if (first is not null) ChangeFeed<T>.FoldInto(batch, first, last!);
            changes = batch.ToChanges(version, initial);
        }
        if (!initial && changes.Added.Count + changes.Updated.Count + changes.Removed.Count == 0)
        {
            // Changes that cancelled out (an add and its remove): the handler has seen everything up to here.
            Registration.Applied(version, generation);
            return false;
        }
        _worker.CallStarting();
        try
        {
            await _handler(changes).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(_logger, exception, Name, version, _retryInterval);
            Registration.Failed(exception, _time.GetUtcNow());
            batch ??= ChangeFeed<T>.FoldInto(new PendingChanges<T>(), first!, last!);
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
