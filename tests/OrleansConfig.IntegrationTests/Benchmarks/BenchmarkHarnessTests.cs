using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Benchmarks;

/// <summary>Runs the benchmark harness in its quick mode so it never rots; how fast is not checked here.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BenchmarkHarnessTests
{
    private static readonly string[] Keys =
    [
        "propagation_p50_ms", "propagation_p99_ms", "propagation_3silo_p99_ms", "throughput_updates_per_s",
        "batch_set_10k_ms", "cost_growth_ratio", "seed_cost_growth_ratio", "change_handler_cost_growth_ratio", "fanout_100_p99_ms",
        "etcd_p50_ms", "etcd_overhead_ratio", "idle_cpu_percent", "discovery_resolve_us", "yarp_update_p99_ms", "subscriber_extra_kb_10k",
        "fanout_40_p99_ms", "status_event_bytes_per_change_10k", "item_bytes_compacted",
        "stage_write_to_handler_ms", "aggregator_ceiling_updates_per_s",
    ];

    [Fact]
    public async Task Quick_run_writes_every_result()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var harness =
            Path.Combine(BuiltApps.RepoRoot, "tests", "OrleansConfig.Benchmarks", "bin", configuration, "net10.0",
            "OrleansConfig.Benchmarks.dll");
        Assert.True(File.Exists(harness), $"{harness} is not built; build the solution first");
        var output = Path.Combine(Path.GetTempPath(), $"orleans-config-bench-{Guid.NewGuid():N}.json");
        using var run = ChildProcess.Start(harness, ["--quick", "--out", output]);
        try
        {
            Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(4)), $"the quick run did not end in 4 minutes; {run.Describe()}");
            Assert.True(run.ExitCode == 0, run.Describe());

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var results = document.RootElement.GetProperty("results");
            foreach (var key in Keys)
            {
                Assert.True(results.TryGetProperty(key, out var value) && value.GetDouble() > 0,
                    $"results.{key} is missing or not positive");
            }
            Assert.Contains(results.EnumerateObject(), p => p.Name.StartsWith("silo_memory_mb_", StringComparison.Ordinal));
            // The scale scenario's keys carry its size (sync_1m_s in a full run).
            Assert.Contains(results.EnumerateObject(), p =>
                p.Name.StartsWith("sync_", StringComparison.Ordinal) && p.Name.EndsWith("_s", StringComparison.Ordinal));
            // The scale scenarios' keys carry their quick sizes (churn_2k_p99_ms, restart_2k_s).
            Assert.Contains(results.EnumerateObject(), p => p.Name.StartsWith("churn_", StringComparison.Ordinal) && p.Name.EndsWith("_p99_ms",
                StringComparison.Ordinal));
            Assert.Contains(results.EnumerateObject(), p => p.Name.StartsWith("restart_", StringComparison.Ordinal) && p.Name.EndsWith("k_s",
                StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
