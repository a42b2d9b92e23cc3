namespace OrleansConfig;

/// <summary>Tuning for <see cref="ServiceConfig"/> and <see cref="EndpointsConfig"/>; every value is checked when set.</summary>
public sealed class ConfigClientOptions
{
    /// <summary>Least time between the starts of two calls to one handler (zero: coalescing only).</summary>
    public TimeSpan MinInterval { get; init => field = NonNegative(value); } = TimeSpan.Zero;

    /// <summary>
    /// Most time between the starts of two calls to a handler told the whole union: it is called again with the same
    /// union even without a change (kube-proxy's periodic resync). Null (the default) turns it off.
    /// </summary>
    public TimeSpan? MaxInterval { get; init => field = value is { } interval ? Positive(interval) : null; }

    /// <summary>How long after a change handler throws it is called again with the same changes (and any since).</summary>
    public TimeSpan RetryInterval { get; init => field = Positive(value); } = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// How often the subscriber reports itself to the cluster (<c>orleans-config subscribers</c>) when nothing changes;
    /// a change is reported at once, but no sooner than a fifth of this after the last report. Zero: never report.
    /// The silo drops an entry after three of these without a report (<c>OrleansConfig:Subscribers:ExpireAfter</c>).
    /// </summary>
    public TimeSpan ReportInterval { get; init => field = ZeroOrAtLeast(value, TimeSpan.FromMilliseconds(100)); } = TimeSpan.FromSeconds(5);

    private static TimeSpan ZeroOrAtLeast(TimeSpan value, TimeSpan least)
    {
        if (value != TimeSpan.Zero) ArgumentOutOfRangeException.ThrowIfLessThan(value, least);
        return value;
    }

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
