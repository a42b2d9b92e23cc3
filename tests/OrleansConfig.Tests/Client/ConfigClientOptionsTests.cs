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
