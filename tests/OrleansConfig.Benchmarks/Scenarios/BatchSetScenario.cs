using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>One Set of N services + N endpoints (10 addresses each) until handlers have it all.</summary>
internal static class BatchSetScenario
{
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

        var update = new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, count).Select(i => Fixtures.Service($"b{i}"))]),
            Endpoints =
                new EndpointsUpdate(Operation.Set, [.. Enumerable.Range(0, count).Select(i => Fixtures.Endpoints($"b{i}", 10, seed: i))]),
        };
        var seenServices = services.WhenCount(count);
        var seenEndpoints = endpoints.WhenCount(count);
        var start = Stopwatch.GetTimestamp();
        var result = await cluster.Client.GetSource("batch").Apply(update);
        if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
        var ends = await Task.WhenAll(seenServices, seenEndpoints).WaitAsync(TimeSpan.FromMinutes(2));
        results.Add("batch_set_10k_ms", Stopwatch.GetElapsedTime(start, ends.Max()).TotalMilliseconds, "ms", "<= 1000",
            $"Set of {count} services + {count} endpoints x 10 addresses");
    }
}
