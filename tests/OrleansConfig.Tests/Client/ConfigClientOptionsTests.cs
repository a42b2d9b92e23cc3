using Xunit;

namespace OrleansConfig.Tests.Client;

public sealed class ConfigClientOptionsTests
{
    [Fact]
    public void Defaults_coalesce_only_and_probe_every_two_seconds()
    {
        var options = new ConfigClientOptions();

        Assert.Equal(TimeSpan.Zero, options.MinInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProbeInterval);
        Assert.True(options.SnapshotRetryDelay > TimeSpan.Zero);
        Assert.True(options.ApplyRetryDelay > TimeSpan.Zero);
        Assert.True(options.MaxRetryDelay >= options.SnapshotRetryDelay);
        Assert.True(options.DisposeTimeout > TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryInterval);
        Assert.Null(options.MaxInterval);
    }

    [Fact]
    public void RetryInterval_and_MaxInterval_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { RetryInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { RetryInterval = TimeSpan.FromTicks(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { MaxInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { MaxInterval = Timeout.InfiniteTimeSpan });

        var options = new ConfigClientOptions { RetryInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMinutes(1) };
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.RetryInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxInterval);
        Assert.Null(new ConfigClientOptions { MaxInterval = null }.MaxInterval);
    }

    [Fact]
    public void Negative_intervals_are_refused()
    {
        var negative = TimeSpan.FromTicks(-1);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { MinInterval = negative });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { ProbeInterval = negative });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { DisposeTimeout = negative });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { ProbeInterval = Timeout.InfiniteTimeSpan });
    }

    [Fact]
    public void Retry_delays_must_be_positive_so_a_failing_cluster_is_not_hammered()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { SnapshotRetryDelay = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { ApplyRetryDelay = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { MaxRetryDelay = TimeSpan.Zero });
    }

    [Fact]
    public void Zero_turns_off_the_interval_and_the_probe()
    {
        var options = new ConfigClientOptions { MinInterval = TimeSpan.Zero, ProbeInterval = TimeSpan.Zero };

        Assert.Equal(TimeSpan.Zero, options.ProbeInterval);
    }
}
