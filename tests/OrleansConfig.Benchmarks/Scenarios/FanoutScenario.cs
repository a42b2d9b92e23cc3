using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>100 subscribers over 4 client connections: time until every one has seen a change.</summary>
internal static class FanoutScenario
{
    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        const int connections = 4, subscribers = 100;
        var changes = options.Size(100, 20);
        await using var cluster = await BenchCluster.Start(1);
        var configs = new List<ServiceConfig>();
        var handlers = new List<CountingHandler<Service>>();
        for (var c = 0; c < connections; c++)
        {
            var client = await cluster.ConnectClient(c);
            for (var s = 0; s < subscribers / connections; s++)
            {
                var handler = new CountingHandler<Service>();
                var config = new ServiceConfig(client);
                config.RegisterHandler(handler.OnUpdate);
                configs.Add(config);
                handlers.Add(handler);
            }
        }
        await Task.WhenAll(configs.Select(c => c.WaitForSyncAsync()));

        var source = cluster.Client.GetSource("fanout");
        var latencies = new List<double>();
        for (var i = 0; i < changes + 5; i++)
        {
            var seen = handlers.Select(h => h.WhenCount(i + 1)).ToArray();
            var start = Stopwatch.GetTimestamp();
            await source.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service($"f{i}")]));
            var ends = await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 5) latencies.Add(Stopwatch.GetElapsedTime(start, ends.Max()).TotalMilliseconds);
        }
        results.Add("fanout_100_p50_ms", Stats.Median(latencies), "ms", null,
            $"{subscribers} subscribers on {connections} connections, {changes} changes");
        results.Add("fanout_100_p99_ms", Stats.Percentile(latencies, 99), "ms", "<= 100");
        foreach (var config in configs) await config.DisposeAsync();
    }
}
