using System.Net;
using OrleansConfig.Testing;

namespace OrleansConfig.Tests.Proxy;

/// <summary>
/// Connection attempts through a proxy, one after another on a background task (at most one per <c>pace</c>, so a
/// test that waits on other processes does not flood the machine), until stopped or <c>maxAttempts</c> (so a test that
/// never stops it still ends): which backend answered each, and every failure. (Shared with the integration tests.)
/// </summary>
internal sealed class ConnectionProbe
{
    private readonly Lock _lock = new();
    private readonly List<string> _seen = [];
    private readonly List<string> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private ConnectionProbe(IPEndPoint proxy, int maxAttempts, TimeSpan pace) => _running = RunAsync(proxy, maxAttempts, pace);

    /// <summary>Starts attempting connections through <paramref name="proxy"/>, back to back unless paced.</summary>
    public static ConnectionProbe Start(IPEndPoint proxy, int maxAttempts, TimeSpan pace = default) => new(proxy, maxAttempts, pace);

    /// <summary>Attempts made so far (answered or failed).</summary>
    public int Attempts
    {
        get { lock (_lock) return _seen.Count + _failures.Count; }
    }

    /// <summary>The backend that answered each successful attempt, in order.</summary>
    public IReadOnlyList<string> Seen
    {
        get { lock (_lock) return [.. _seen]; }
    }

    /// <summary>Each failed attempt: its number and what went wrong.</summary>
    public IReadOnlyList<string> Failures
    {
        get { lock (_lock) return [.. _failures]; }
    }

    /// <summary>Waits until <paramref name="more"/> attempts past the current count have been made.</summary>
    public Task WaitForMoreAsync(int more, string what)
    {
        var target = Attempts + more;
        return Eventually.Until(() => Attempts >= target || _running.IsCompleted, $"{more} more connection attempts {what}");
    }

    /// <summary>Stops after the attempt under way.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    private async Task RunAsync(IPEndPoint proxy, int maxAttempts, TimeSpan pace)
    {
        await Task.Yield();
        using var timer = pace > TimeSpan.Zero ? new PeriodicTimer(pace) : null;
        for (var i = 0; i < maxAttempts && !_stop.IsCancellationRequested; i++)
        {
            if (timer is not null)
            {
                try
                {
                    await timer.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            try
            {
                var backend = await EchoClient.BackendOf(proxy);
                lock (_lock) _seen.Add(backend);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                lock (_lock) _failures.Add($"attempt {i + 1}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
