using System.Diagnostics;

namespace OrleansConfig.Testing;

/// <summary>Waits for a condition instead of sleeping a fixed time; a timeout says what it waited for and what it last saw.</summary>
public static class Eventually
{
    /// <summary>Generous, for a shared machine: a wait that passes returns as soon as its condition holds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Probes until <paramref name="done"/> accepts a value and returns that value.</summary>
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var stopwatch = Stopwatch.StartNew();
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (stopwatch.Elapsed > limit) break;
            // Probes often cross a cluster or a process: poll less often than a plain condition.
            await Task.Delay(20);
        }
        throw new TimeoutException($"timed out after {limit} waiting for {what ?? "condition"}; last value: {last}");
    }

    /// <summary>Checks <paramref name="condition"/> until it holds; <paramref name="what"/> names it in the failure.</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > limit) throw new TimeoutException($"timed out after {limit} waiting for {what}");
            await Task.Delay(5);
        }
    }

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(DefaultTimeout);

    public static Task Within(this Task task) => task.WaitAsync(DefaultTimeout);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(DefaultTimeout);
}
