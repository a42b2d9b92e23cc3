using System.Threading.Channels;
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
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _retryInterval;
    private readonly TimeSpan _disposeTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    // Capacity one, drop when full: any number of posts while busy collapse into one wake-up.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private HashSet<ObjectKey> _pending = [];
    private bool _initialPending;
    private long _calls;
    private Task _worker = Task.CompletedTask;
    private long? _lastCallStarted;
    private int _disposed;

    public CatalogDispatcher(
        string name,
        Func<IReadOnlyCollection<ObjectKey>, Task> handler,
        TimeSpan minInterval,
        TimeSpan retryInterval,
        TimeSpan disposeTimeout,
        TimeProvider time,
        ILogger<CatalogDispatcher> logger)
    {
        Name = name;
        _handler = handler;
        _minInterval = minInterval;
        _retryInterval = retryInterval;
        _disposeTimeout = disposeTimeout;
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    /// <summary>Calls that returned without throwing.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public void Start()
    {
        var cancellationToken = _stop.Token;
        _worker = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Adds keys to the next call; <paramref name="initial"/> makes that call happen even with no key (the first one).</summary>
    public void Post(IEnumerable<ObjectKey> keys, bool initial = false)
    {
        lock (_lock)
        {
            _pending.UnionWith(keys);
            _initialPending |= initial;
            if (_pending.Count == 0 && !_initialPending) return;
        }
        _wake.Writer.TryWrite(true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _wake.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.WaitAsync(_disposeTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogHandlerStillRunning(_logger, Name, _disposeTimeout);
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                if (_minInterval > TimeSpan.Zero && _lastCallStarted is { } started)
                {
                    var wait = _minInterval - _time.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }

                // Taken only now, so the call carries every key posted while we waited.
                HashSet<ObjectKey> keys;
                lock (_lock)
                {
                    if (_pending.Count == 0 && !_initialPending) continue;
                    keys = _pending;
                    _pending = [];
                    _initialPending = false;
                }
                _lastCallStarted = _time.GetTimestamp();

                try
                {
                    await _handler([.. keys.Order()]).ConfigureAwait(false);
                    Interlocked.Increment(ref _calls);
                }
                catch (Exception exception)
                {
                    LogHandlerFailed(_logger, exception, Name, keys.Count, _retryInterval);
                    await Task.Delay(_retryInterval, _time, cancellationToken).ConfigureAwait(false);
                    // The initial flag goes back too: a first call that failed is still owed, even with no key.
                    Post(keys, initial: Calls == 0);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(470, LogLevel.Error, "Catalog handler {Handler} failed on {Keys} changed services; calling it again in {RetryIn}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, int keys, TimeSpan retryIn);

    [LoggerMessage(471, LogLevel.Warning, "Catalog handler {Handler} was still running {Timeout} after disposal began; not waiting for it")]
    private static partial void LogHandlerStillRunning(ILogger logger, string handler, TimeSpan timeout);
}
