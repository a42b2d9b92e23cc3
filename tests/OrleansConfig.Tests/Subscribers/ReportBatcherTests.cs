using System.Collections.Concurrent;
using OrleansConfig.Client.Reporting;
using Xunit;

namespace OrleansConfig.Tests.Subscribers;

public sealed class ReportBatcherTests
{
    private static readonly Guid A = new("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = new("00000000-0000-0000-0000-00000000000b");

    /// <summary>The calls the registry received, as "report A:1,B:2" and "remove B"; the first call waits for <see cref="Gate"/>.</summary>
    private sealed class Registry
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Fail { get; set; }

        public ReportBatcher Batcher() => new(
            async (reports, _) =>
            {
                var first = Calls.IsEmpty;
                Calls.Enqueue("report " + string.Join(",", reports.OrderBy(r => r.Instance).Select(r => $"{Name(r.Instance)}:{r.Resyncs}")));
                if (first) await Gate.Task;
                if (Fail is { } fail) throw fail;
            },
            (instance, _) =>
            {
                Calls.Enqueue($"remove {Name(instance)}");
                return Task.CompletedTask;
            });

        private static string Name(Guid instance) => instance == A ? "A" : "B";
    }

    private static SubscriberReport Report(Guid instance, long resyncs) => new() { Instance = instance, Kind = "services", Resyncs = resyncs };

    [Fact]
    public async Task Reports_handed_in_while_a_call_is_in_flight_go_together_in_the_next_with_the_newest_of_each()
    {
        var registry = new Registry();
        var batcher = registry.Batcher();
        var first = batcher.ReportAsync(Report(A, 1), CancellationToken.None);
        await Eventually.Until(() => registry.Calls.Count == 1, "the first call is under way");

        var waiting = new[]
        {
            batcher.ReportAsync(Report(A, 2), CancellationToken.None),
            batcher.ReportAsync(Report(B, 1), CancellationToken.None),
            batcher.ReportAsync(Report(A, 3), CancellationToken.None),
        };
        Assert.False(first.IsCompleted);
        registry.Gate.SetResult();
        await Task.WhenAll(waiting.Append(first)).Within();

        Assert.Equal(["report A:1", "report A:3,B:1"], registry.Calls);
        Assert.Equal(2, batcher.Calls);
    }

    [Fact]
    public async Task A_removal_drops_the_subscribers_unsent_report_and_follows_the_call_in_flight()
    {
        var registry = new Registry();
        var batcher = registry.Batcher();
        var first = batcher.ReportAsync(Report(A, 1), CancellationToken.None);
        await Eventually.Until(() => registry.Calls.Count == 1, "the first call is under way");
        var unsent = batcher.ReportAsync(Report(B, 1), CancellationToken.None);

        var removal = batcher.RemoveAsync(B, CancellationToken.None);
        Assert.False(removal.IsCompleted);
        registry.Gate.SetResult();
        await Task.WhenAll(first, unsent, removal).Within();

        Assert.Equal(["report A:1", "remove B"], registry.Calls);
    }

    [Fact]
    public async Task A_failed_call_fails_its_reports_and_the_next_report_makes_a_new_call()
    {
        var registry = new Registry { Fail = new TimeoutException("registry unreachable") };
        registry.Gate.SetResult();
        var batcher = registry.Batcher();

        var failed = await Assert.ThrowsAsync<TimeoutException>(() => batcher.ReportAsync(Report(A, 1), CancellationToken.None).Within());
        registry.Fail = null;
        await batcher.ReportAsync(Report(A, 2), CancellationToken.None).Within();

        Assert.Equal("registry unreachable", failed.Message);
        Assert.Equal(["report A:1", "report A:2"], registry.Calls);
    }
}
