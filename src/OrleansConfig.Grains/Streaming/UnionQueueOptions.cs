namespace OrleansConfig.Streaming;

internal sealed class UnionQueueOptions
{
    /// <summary>How long a read waits at an empty queue: bounds idle calls, and how long the agent defers other work.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromMilliseconds(250);
}
