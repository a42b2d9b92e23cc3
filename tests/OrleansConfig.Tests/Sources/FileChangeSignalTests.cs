using System.Diagnostics;
using OrleansConfig.Sources.File;
using Xunit;

namespace OrleansConfig.Tests.Sources;

public sealed class FileChangeSignalTests
{
    [Fact]
    public async Task Without_changes_the_wait_times_out()
    {
        var signal = new FileChangeSignal(TimeSpan.FromMilliseconds(10));

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task A_burst_of_changes_is_one_wake_up()
    {
        var signal = new FileChangeSignal(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 10; i++) signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task The_wait_ends_only_once_changes_are_quiet()
    {
        var debounce = TimeSpan.FromMilliseconds(150);
        var signal = new FileChangeSignal(debounce);
        signal.Notify();
        var started = Stopwatch.GetTimestamp();
        // A thread of its own, not the thread pool: a pool starved by tests running beside this one would pause the
        // writer for longer than the debounce, and the wait would rightly end in that quiet gap.
        var writer = new Thread(() =>
        {
            while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMilliseconds(400))
            {
                signal.Notify();
                Thread.Sleep(10);
            }
        }) { IsBackground = true };
        writer.Start();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(400), "returned while changes were still coming");
        writer.Join();
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        var signal = new FileChangeSignal(TimeSpan.FromMilliseconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(TimeSpan.FromMinutes(1), cancel.Token));
    }
}
