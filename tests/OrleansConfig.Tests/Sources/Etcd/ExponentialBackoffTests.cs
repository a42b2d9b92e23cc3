using OrleansConfig.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delays_double_within_jitter_until_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), new Random(7));

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
            .Select(seed => new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), new Random(seed)).Next())
            .Distinct()
            .Count();

        Assert.True(delays > 10, $"only {delays} distinct delays");
    }

    [Fact]
    public void Reset_starts_again_from_the_initial_delay()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        for (var i = 0; i < 6; i++) backoff.Next();

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void Many_failures_never_overflow_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10_000; i++) backoff.Next();

        Assert.InRange(backoff.Next().TotalSeconds, 2.5, 5);
    }
}
