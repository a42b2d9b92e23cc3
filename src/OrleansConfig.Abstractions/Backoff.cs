namespace OrleansConfig;

/// <summary>
/// Capped exponential backoff: the first delay is min(initial, max), each next one doubles until it reaches max.
/// <see cref="Jittered"/> draws each delay between half and all of that ceiling, so many retriers spread out.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random? _jitter;
    private TimeSpan _ceiling;

    private Backoff(TimeSpan initial, TimeSpan max, Random? jitter)
    {
        _initial = initial;
        _max = max;
        _jitter = jitter;
        Reset();
    }

    /// <summary>Delays of exactly min(initial, max), then doubled each time up to max.</summary>
    public static Backoff Doubling(TimeSpan initial, TimeSpan max) => new(initial, max, jitter: null);

    /// <summary>Each delay between half and all of the doubling ceiling (sources: many retry at once).</summary>
    public static Backoff Jittered(TimeSpan initial, TimeSpan max, Random? random = null) => new(initial, max, random ?? Random.Shared);

    public TimeSpan Next()
    {
        var ceiling = _ceiling;
        // Halfway to max doubles past it: stop at max without ever overflowing.
        _ceiling = ceiling.Ticks >= _max.Ticks / 2 ? _max : TimeSpan.FromTicks(ceiling.Ticks * 2);
        return _jitter is null ? ceiling : TimeSpan.FromMilliseconds(ceiling.TotalMilliseconds * (0.5 + (_jitter.NextDouble() * 0.5)));
    }

    public void Reset() => _ceiling = _initial < _max ? _initial : _max;
}
