namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>Waits for a condition, never a fixed time.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition, string what, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }
}
