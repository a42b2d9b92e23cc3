namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"timed out waiting for {what ?? "condition"}; last value: {last}");
    }

    public static Task Until(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        Get(() => Task.FromResult(condition()), ok => ok, timeout, what);
}
