using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>One source Add → a subscriber's handler is called with it, sequentially, on 1 and on 3 silos.</summary>
internal static class PropagationScenario
{
    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var changes = options.Size(1000, 200);
        await using (var cluster = await BenchCluster.Start(1))
        {
            var latencies = await Measure(cluster.Client, cluster.Client, changes);
            results.Add("propagation_p50_ms", Stats.Median(latencies), "ms", "<= 5", $"{changes} sequential changes, 1 silo");
            results.Add("propagation_p99_ms", Stats.Percentile(latencies, 99), "ms", "<= 20");
        }
        await using (var cluster = await BenchCluster.Start(3))
        {
            // Writer and subscriber on different gateways; grains spread over the silos by placement.
            var writer = await cluster.ConnectClient(1);
            var subscriber = await cluster.ConnectClient(2);
            var latencies = await Measure(writer, subscriber, changes);
            results.Add("propagation_3silo_p50_ms", Stats.Median(latencies), "ms", null,
                "3 silos, writer and subscriber on different gateways");
            results.Add("propagation_3silo_p99_ms", Stats.Percentile(latencies, 99), "ms", "<= 40");
        }
    }

    internal static async Task<List<double>> Measure(IGrainFactory writer, IClusterClient subscriber, int changes)
    {
        var handler = new CountingHandler<Service>();
        await using var config = new ServiceConfig(subscriber);
        config.RegisterHandler(handler.OnUpdate);
        await config.WaitForSyncAsync();
        var source = writer.GetSource("propagation");
        const int warmup = 50;
        var latencies = new List<double>(changes);
        for (var i = 0; i < warmup + changes; i++)
        {
            var seen = handler.WhenCount(i + 1);
            var start = Stopwatch.GetTimestamp();
            await source.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service($"p{i}")]));
            var end = await seen.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= warmup) latencies.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
        }
        return latencies;
    }
}
