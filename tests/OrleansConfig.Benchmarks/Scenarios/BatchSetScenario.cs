using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// One Set of N services + N endpoints (10 addresses each) until handlers have it all: the median of 5, each into an
/// empty union and taken back afterwards, after 5 rounds not counted.
/// </summary>
internal static class BatchSetScenario
{
    // A process just started runs this path unoptimized: measured, the first Set took 1.7-1.9 s, the fourth 1.0 s, the
    // sixth on 0.3-0.6 s, as the runtime compiled the hot methods again, optimized, in the background.
    private const int WarmUpRounds = 5, Rounds = 5;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var count = options.Size(10_000, 2_000);
        await using var cluster = await BenchCluster.Start(1);
        var services = new CountingHandler<Service>();
        var endpoints = new CountingHandler<Endpoints>();
        await using var serviceConfig = new ServiceConfig(cluster.Client);
        await using var endpointsConfig = new EndpointsConfig(cluster.Client);
        serviceConfig.RegisterHandler(services.OnUpdate);
        endpointsConfig.RegisterHandler(endpoints.OnUpdate);
        await Task.WhenAll(serviceConfig.WaitForSyncAsync(), endpointsConfig.WaitForSyncAsync());

        var source = cluster.Client.GetSource("batch");
        var update = new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, count).Select(i => Fixtures.Service($"b{i}"))]),
            Endpoints =
                new EndpointsUpdate(Operation.Set, [.. Enumerable.Range(0, count).Select(i => Fixtures.Endpoints($"b{i}", 10, seed: i))]),
        };
        var empty = new SourceUpdate { Services = new(Operation.Set, []), Endpoints = new(Operation.Set, []) };
        var times = new List<double>();
        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            var seenServices = services.WhenCount(count);
            var seenEndpoints = endpoints.WhenCount(count);
            var start = Stopwatch.GetTimestamp();
            Accepted(await source.Apply(update));
            var ends = await Task.WhenAll(seenServices, seenEndpoints).WaitAsync(TimeSpan.FromMinutes(2));
            if (round >= WarmUpRounds) times.Add(Stopwatch.GetElapsedTime(start, ends.Max()).TotalMilliseconds);

            Accepted(await source.Apply(empty));
            await Eventually.Until(
                () => services.Count + endpoints.Count == 0, "the handlers told the empty union", TimeSpan.FromMinutes(2));
        }
        results.Add("batch_set_10k_ms", Stats.Median(times), "ms", "<= 1000",
            $"Set of {count} services + {count} endpoints x 10 addresses into an empty union; median of {Rounds} " +
            $"({string.Join(", ", times.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms) " +
            $"after {WarmUpRounds} not counted");
    }

    private static void Accepted(ApplyResult result)
    {
        if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
