namespace OrleansConfig;

public sealed class OrleansConfigSiloOptions
{
    /// <summary>How often the union stream's queue is polled: the upper bound of the stream's added latency.</summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(3);
}
