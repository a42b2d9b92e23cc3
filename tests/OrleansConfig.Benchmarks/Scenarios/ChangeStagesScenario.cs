using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// What each stage of one change costs (for the design note): sequential single-item changes on one silo with one
/// subscriber. The source grain's call returns once the change is journaled, applied to the union and enqueued; the
/// silo's and the client's own propagation histograms (<c>stage=publish</c>, <c>stage=view</c>, both counted from the
/// source accepting the change) split that from the stream's delivery; the handler's own time comes last.
/// </summary>
internal static class ChangeStagesScenario
{
    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var changes = options.Size(1_000, 100);
        await using var cluster = await BenchCluster.Start(1);
        var published = new List<double>();
        var viewed = new List<double>();
        using var listener = new PropagationStages((stage, ms) =>
        {
            var list = stage == "publish" ? published : viewed;
            lock (list) list.Add(ms);
        });
        listener.Start();

        var handler = new CountingHandler<Service>();
        await using var subscriber = new ServiceConfig(await cluster.ConnectClient(0));
        subscriber.RegisterHandler(handler.OnUpdate);
        await subscriber.WaitForSyncAsync();
        var source = cluster.Client.GetSource("stages");
        var calls = new List<double>();
        var delivered = new List<double>();
        const int warmup = 50;
        for (var i = 0; i < changes + warmup; i++)
        {
            var seen = handler.WhenCount(i + 1);
            var start = Stopwatch.GetTimestamp();
            var result = await source.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service($"st{i}")]));
            var answered = Stopwatch.GetTimestamp();
            if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
            var end = await seen.WaitAsync(TimeSpan.FromSeconds(30));
            if (i < warmup) continue;
            calls.Add(Stopwatch.GetElapsedTime(start, answered).TotalMilliseconds);
            delivered.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
        }
        listener.Dispose();
        // The first changes (warm-up) are in the histograms' lists too: only the last ones are compared.
        var publish = Stats.Median(published.TakeLast(changes).ToList());
        var view = Stats.Median(viewed.TakeLast(changes).ToList());
        var note = $"medians of {changes} sequential single-item changes, 1 silo (in-memory journal), 1 subscriber";
        results.Add("stage_source_to_publish_ms", publish, "ms", null,
            "source grain accepted -> validated, journaled, forwarded, applied to the union and published by the aggregator; " + note);
        results.Add("stage_call_ms", Stats.Median(calls), "ms", null, "the writer's whole call: the above, the enqueue and both hops");
        results.Add("stage_publish_to_view_ms", view - publish, "ms", null, "queue and stream delivery until the subscriber's view applied it");
        results.Add("stage_write_to_handler_ms", Stats.Median(delivered), "ms", null, "write -> the handler called with the new union");
    }
}
