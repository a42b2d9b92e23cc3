using Xunit;

namespace OrleansConfig.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Delays_double_within_jitter_until_the_cap()
    {
        var backoff = Backoff.Jittered(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), new Random(7));

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        double[] ceilings = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
        for (var i = 0; i < delays.Length; i++)
        {
            Assert.InRange(delays[i], ceilings[i] / 2, ceilings[i]);
        }
    }

    [Fact]
    public void Jitter_spreads_the_delays_of_several_sources()
    {
        var delays = Enumerable.Range(0, 20)
            .Select(seed => Backoff.Jittered(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), new Random(seed)).Next())
            .Distinct()
            .Count();

        Assert.True(delays > 10, $"only {delays} distinct delays");
    }

    [Fact]
    public void Reset_starts_again_from_the_initial_delay()
    {
        var backoff = Backoff.Jittered(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        for (var i = 0; i < 6; i++) backoff.Next();

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void Many_failures_never_overflow_the_cap()
    {
        var backoff = Backoff.Jittered(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10_000; i++) backoff.Next();

        Assert.InRange(backoff.Next().TotalSeconds, 2.5, 5);
    }

    [Fact]
    public void Doubling_delays_are_exact_and_stop_at_the_cap()
    {
        var backoff = Backoff.Doubling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000));

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.Equal([100, 200, 400, 800, 1000, 1000, 1000], delays);
    }

    [Fact]
    public void An_initial_delay_above_the_cap_starts_at_the_cap()
    {
        var backoff = Backoff.Doubling(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next());
    }

    [Fact]
    public void Doubling_reaches_the_cap_from_halfway_without_overflow()
    {
        var max = TimeSpan.MaxValue;
        var backoff = Backoff.Doubling(TimeSpan.FromTicks(max.Ticks / 2), max);

        Assert.Equal(TimeSpan.FromTicks(max.Ticks / 2), backoff.Next());
        Assert.Equal(max, backoff.Next());
        Assert.Equal(max, backoff.Next());
    }

    [Fact]
    public void Doubling_reset_starts_again_from_the_initial_delay()
    {
        var backoff = Backoff.Doubling(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        for (var i = 0; i < 6; i++) backoff.Next();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next());
    }
}
