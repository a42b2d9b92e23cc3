namespace OrleansConfig;

/// <summary>Tuning for <see cref="ServiceConfig"/> and <see cref="EndpointsConfig"/>; every value is checked when set.</summary>
public sealed class ConfigClientOptions
{
    /// <summary>Least time between the starts of two calls to one handler (zero: coalescing only).</summary>
    public TimeSpan MinInterval { get; init => field = NonNegative(value); } = TimeSpan.Zero;

    /// <summary>How often the aggregator's version is compared with ours to catch lost deltas (zero: never).</summary>
    public TimeSpan ProbeInterval { get; init => field = NonNegative(value); } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before retrying a failed snapshot or stream subscription; it doubles up to
    /// <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan SnapshotRetryDelay { get; init => field = Positive(value); } = TimeSpan.FromSeconds(1);

    /// <summary>First wait before resending an update the cluster did not receive; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan ApplyRetryDelay { get; init => field = Positive(value); } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap on every retry wait.</summary>
    public TimeSpan MaxRetryDelay { get; init => field = Positive(value); } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposal waits for accepted channel writes to reach the cluster and for running handlers to return.</summary>
    public TimeSpan DisposeTimeout { get; init => field = NonNegative(value); } = TimeSpan.FromSeconds(5);

    private static TimeSpan NonNegative(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return value;
    }

    private static TimeSpan Positive(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        return value;
    }
}
