namespace OrleansConfig;

/// <summary>How the silo reads the union stream's queue (<c>OrleansConfig:Stream</c>).</summary>
public sealed class OrleansConfigSiloOptions
{
    /// <summary>
    /// The pause between two reads of the union stream's queue. Each read waits at the queue for up to
    /// <see cref="StreamReadWait"/>, so this only bounds the latency of a change that arrives between reads.
    /// </summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How long a read waits at an empty queue: the idle silo makes about one read per this period.</summary>
    public TimeSpan StreamReadWait { get; set; } = TimeSpan.FromMilliseconds(250);
}
