using System.Net;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// The real silo process (Release build, default settings, its file source on the examples): its working set
/// holding N services + N endpoints, and its CPU use over 10 s with nothing changing.
/// </summary>
internal static class SiloProcessScenario
{
    private const int Sources = 10;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var perKind = options.Size(100_000, 10_000);
        var silo = new SiloProcess();
        await silo.InitializeAsync();
        try
        {
            // Past start-up work (JIT, membership, the file source's first read) before measuring idleness.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idleEmpty = await ProcessMeter.CpuPercent(silo.ProcessId, TimeSpan.FromSeconds(10));
            await using var connection = await BenchCluster.Connect(IPEndPoint.Parse(silo.Gateway), "orleans-config", "orleans-config");
            var grains = connection.Client;
            var perSource = perKind / Sources;
            for (var s = 0; s < Sources; s++)
            {
                var result = await grains.GetSource($"memory-{s}").Apply(new SourceUpdate
                {
                    Services =
                        new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, perSource).Select(i => Fixtures.Service($"m{s}-{i}"))]),
                    Endpoints =
                        new EndpointsUpdate(Operation.Set,
                        [.. Enumerable.Range(0, perSource).Select(i => Fixtures.Endpoints($"m{s}-{i}", 3, seed: i))]),
                });
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
            }
            // Let the loading garbage go before measuring what the silo holds.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var memory = ProcessMeter.WorkingSetMb(silo.ProcessId);
            var idleLoaded = await ProcessMeter.CpuPercent(silo.ProcessId, TimeSpan.FromSeconds(10));

            var label = perKind % 1000 == 0 ? $"{perKind / 1000}k" : perKind.ToString(System.Globalization.CultureInfo.InvariantCulture);
            results.Add($"silo_memory_mb_{label}", memory, "MB", perKind == 100_000 ? "<= 1024" : null,
                $"working set holding {perKind} services + {perKind} endpoints (3 addresses each)");
            results.Add("idle_cpu_percent", idleLoaded, "%", "<= 5", $"silo CPU over 10 s with nothing changing, holding that union");
            results.Add("idle_cpu_percent_empty", idleEmpty, "%", null,
                "the same with only the examples loaded, 5-15 s after the silo started (its start-up work included)");
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}
