namespace OrleansConfig.Etcd;

/// <summary>Capped exponential backoff with jitter: each delay is between half and all of min(max, initial·2ⁿ).</summary>
internal sealed class ExponentialBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public int Attempts { get; private set; }

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(Attempts, 30)));
        Attempts++;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (_random.NextDouble() * 0.5)));
    }

    public void Reset() => Attempts = 0;
}
