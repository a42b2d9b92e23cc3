namespace OrleansConfig;

/// <summary>
/// One registered handler's progress (client-go's <c>HasSynced</c> per handler): whether it has taken in the initial
/// union, the union version its last successful call brought it to, and its last failure.
/// </summary>
public sealed class HandlerRegistration
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private UnionVersion _appliedVersion;
    private long _appliedGeneration;
    private Exception? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private bool _failing;

    internal HandlerRegistration(string name, bool changes)
    {
        Name = name;
        Changes = changes;
    }

    /// <summary>The handler's name in logs: its type, or the declaring type and method of a delegate.</summary>
    public string Name { get; }

    /// <summary>True for a change handler, false for one told the whole union.</summary>
    public bool Changes { get; }

    /// <summary>True once the handler has returned successfully from its first call (the whole union).</summary>
    public bool HasSynced => _synced.Task.IsCompletedSuccessfully;

    /// <summary>The union version of the handler's last successful call (default until the first).</summary>
    public UnionVersion AppliedVersion
    {
        get { lock (_lock) return _appliedVersion; }
    }

    /// <summary>What the handler's most recent failed call threw, or null if none has failed.</summary>
    public Exception? LastError
    {
        get { lock (_lock) return _lastError; }
    }

    /// <summary>When that failure happened.</summary>
    public DateTimeOffset? LastErrorAt
    {
        get { lock (_lock) return _lastErrorAt; }
    }

    /// <summary>Completes once <see cref="HasSynced"/> is true.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The subscriber's content generation of the handler's last successful call (0: none yet): what the subscriber's
    /// report maps to the newest union version with that content.
    /// </summary>
    internal long AppliedGeneration
    {
        get { lock (_lock) return _appliedGeneration; }
    }

    /// <summary>The last error as reported (<c>handler: type: message</c>) while the handler has not returned normally since.</summary>
    internal (string Message, DateTimeOffset At)? CurrentError
    {
        get
        {
            lock (_lock)
            {
                return _failing && _lastError is { } error && _lastErrorAt is { } at
                    ? ($"{Name}: {error.GetType().Name}: {error.Message}", at)
                    : null;
            }
        }
    }

    /// <summary>Told after every call's outcome is recorded (the subscriber's report then signals its reporter).</summary>
    internal Action? Progressed { get; set; }

    internal void Applied(UnionVersion version, long generation)
    {
        lock (_lock)
        {
            _appliedVersion = version;
            _appliedGeneration = Math.Max(_appliedGeneration, generation);
            _failing = false;
        }
        _synced.TrySetResult();
        Progressed?.Invoke();
    }

    internal void Failed(Exception exception, DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastError = exception;
            _lastErrorAt = at;
            _failing = true;
        }
        Progressed?.Invoke();
    }

    // A disposed client's waiters end rather than hang; canceled, so nobody sees an unobserved exception.
    internal void Stopped() => _synced.TrySetCanceled();
}
