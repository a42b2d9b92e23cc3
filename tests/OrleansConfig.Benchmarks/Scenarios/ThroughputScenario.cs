using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>Single-item Adds from 4 concurrent sources through the client library's channels, until a subscriber has them all.</summary>
internal static class ThroughputScenario
{
    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        const int sources = 4;
        var perSource = options.Size(10_000, 1_000);
        await using var cluster = await BenchCluster.Start(1);
        var handler = new CountingHandler<Service>();
        await using var subscriber = new ServiceConfig(cluster.Client);
        subscriber.RegisterHandler(handler.OnUpdate);
        await subscriber.WaitForSyncAsync();
        await using var writer = new ServiceConfig(await cluster.ConnectClient(0));

        var all = handler.WhenCount(sources * perSource);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, sources).Select(async s =>
        {
            var channel = writer.Channel($"throughput-{s}");
            for (var i = 0; i < perSource; i++)
            {
                await channel.WriteAsync(new ServiceUpdate(Operation.Add, [Fixtures.Service($"s{s}-{i}")]));
            }
        }));
        var end = await all.WaitAsync(TimeSpan.FromMinutes(5));
        var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        results.Add("throughput_updates_per_s", sources * perSource / seconds, "updates/s", ">= 20000",
            $"{sources} sources x {perSource} single-item Adds via ServiceConfig.Channel");
    }
}
