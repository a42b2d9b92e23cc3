namespace OrleansConfig.Client.Reporting;

/// <summary>One handler's progress as a subscriber reports it: the generation it last returned from, and its last error.</summary>
internal sealed class HandlerProgress(string name)
{
    private readonly Lock _lock = new();
    private long _applied;
    private (string Message, DateTimeOffset At)? _error;

    public string Name { get; } = name;

    /// <summary>The generation of the last call that returned normally (0: none yet).</summary>
    public long Applied
    {
        get { lock (_lock) return _applied; }
    }

    /// <summary>The last error, until a call returns normally again.</summary>
    public (string Message, DateTimeOffset At)? Error
    {
        get { lock (_lock) return _error; }
    }

    public void Returned(long generation)
    {
        lock (_lock)
        {
            _applied = Math.Max(_applied, generation);
            _error = null;
        }
    }

    public void Threw(Exception exception, DateTimeOffset at)
    {
        lock (_lock) _error = ($"{Name}: {exception.GetType().Name}: {exception.Message}", at);
    }
}
