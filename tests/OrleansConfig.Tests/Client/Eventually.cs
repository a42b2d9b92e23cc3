using System.Diagnostics;
using Xunit.Sdk;

namespace OrleansConfig.Tests.Client;

/// <summary>Awaits a condition, failing after a generous timeout; never a fixed sleep.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > (timeout ?? Timeout)) throw new XunitException($"Timed out waiting until {what}");
            await Task.Delay(5);
        }
    }

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Timeout);
}
