namespace OrleansConfig.Client;

internal static class Backoff
{
    public static TimeSpan First(TimeSpan initial, TimeSpan max) => initial < max ? initial : max;

    public static TimeSpan Next(TimeSpan current, TimeSpan max) =>
        current.Ticks >= max.Ticks / 2 ? max : TimeSpan.FromTicks(current.Ticks * 2);
}
