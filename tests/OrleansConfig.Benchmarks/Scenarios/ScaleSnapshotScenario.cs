using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// A million services and a million endpoints (3 addresses each) in the real silo process: its working set holding
/// them, and how long a new subscriber takes to its first complete union (paged snapshot, then the stream).
/// </summary>
internal static class ScaleSnapshotScenario
{
    private const int PerSource = 10_000;
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var perKind = options.Size(1_000_000, 20_000);
        var label = perKind % 1_000_000 == 0 ? $"{perKind / 1_000_000}m" : $"{perKind / 1000}k";
        await using var silo = new SiloProcess();
        await silo.InitializeAsync();
        await using var loader = await BenchCluster.Connect(IPEndPoint.Parse(silo.Gateway), "orleans-config", "orleans-config");
        var before = ProcessMeter.WorkingSetMb(silo.ProcessId);
        var loading = Stopwatch.StartNew();
        await Load(loader.Client, perKind);
        Console.WriteLine($"  loaded {perKind} + {perKind} in {loading.Elapsed.TotalSeconds:0.0} s");

        // Let the loading garbage go before measuring what the silo holds.
        await Task.Delay(TimeSpan.FromSeconds(options.Size(10, 2)));
        var memory = ProcessMeter.WorkingSetMb(silo.ProcessId);
        results.Add($"silo_memory_mb_{label}", memory, "MB", perKind == 1_000_000 ? "<= 3000" : null,
            $"working set holding {perKind} services + {perKind} endpoints (3 addresses each); {before:0} MB before loading, "
            + $"{(memory - before) * 1024 * 1024 / (2.0 * perKind):0} bytes per object");

        var cpu = new CpuClock(silo.ProcessId);
        var read = await TimeSnapshotRead(silo.Gateway, perKind);
        results.Add($"sync_{label}_snapshot_s", read, "s", null,
            $"a fresh client reading the union's paged snapshot alone (transfer and deserialization, no view); {cpu.Lap()}");
        var seconds = await TimeFirstSync(silo.Gateway, perKind);
        results.Add($"sync_{label}_s", seconds, "s", perKind == 1_000_000 ? "<= 10" : null,
            $"new client: connect, ServiceConfig + EndpointsConfig to their first complete union of {perKind} + {perKind} "
            + $"(paged snapshot, then the stream); {cpu.Lap()}");
        Console.WriteLine($"  silo working set after the sync: {ProcessMeter.WorkingSetMb(silo.ProcessId):0} MB");
    }

    // CPU seconds the silo and this (the client's) process spent since the last lap: on a busy machine the wall-clock
    // times above stretch with the load, the CPU they took much less.
    private sealed class CpuClock(int silo)
    {
        private (double Silo, double Client) _last = Now(silo);

        public string Lap()
        {
            var now = Now(silo);
            var (siloCpu, clientCpu) = (now.Silo - _last.Silo, now.Client - _last.Client);
            _last = now;
            return string.Create(CultureInfo.InvariantCulture, $"CPU: silo {siloCpu:0.0} s, client {clientCpu:0.0} s");
        }

        private static (double Silo, double Client) Now(int silo) => (ProcessMeter.CpuSeconds(silo), ProcessMeter.CpuSeconds(Environment.ProcessId));
    }

    private static async Task Load(IClusterClient grains, int perKind)
    {
        var sources = perKind / PerSource;
        // Two at a time: the silo validates one while the next is serialized.
        using var gate = new SemaphoreSlim(2);
        await Task.WhenAll(Enumerable.Range(0, sources).Select(async s =>
        {
            await gate.WaitAsync();
            try
            {
                var result = await grains.GetSource($"scale-{s}").Apply(new SourceUpdate
                {
                    Services = new ServiceUpdate(Operation.Set,
                        [.. Enumerable.Range(0, PerSource).Select(i => Fixtures.Service($"s{s}-{i}", $"ns-{i % 100}"))]),
                    Endpoints = new EndpointsUpdate(Operation.Set,
                        [.. Enumerable.Range(0, PerSource).Select(i => Fixtures.Endpoints($"s{s}-{i}", 3, $"ns-{i % 100}", seed: i))]),
                });
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Seconds from connecting a fresh client to its having read the whole union in pages.</summary>
    private static async Task<double> TimeSnapshotRead(string gateway, int perKind)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await BenchCluster.Connect(IPEndPoint.Parse(gateway), "orleans-config", "orleans-config");
        var snapshot = await connection.Client.GetAggregator().ReadSnapshotAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (snapshot.Services.Count < perKind || snapshot.Endpoints.Count < perKind)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"the snapshot holds {snapshot.Services.Count} + {snapshot.Endpoints.Count}, not {perKind} + {perKind}"));
        }
        return seconds;
    }

    /// <summary>Seconds from connecting a fresh client to both configs holding every loaded item.</summary>
    private static async Task<double> TimeFirstSync(string gateway, int perKind)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await BenchCluster.Connect(IPEndPoint.Parse(gateway), "orleans-config", "orleans-config");
        await using var services = new ServiceConfig(connection.Client);
        await using var endpoints = new EndpointsConfig(connection.Client);
        using var timeout = new CancellationTokenSource(SyncTimeout);
        await Task.WhenAll(services.WaitForSyncAsync(timeout.Token), endpoints.WaitForSyncAsync(timeout.Token));
        var seconds = clock.Elapsed.TotalSeconds;
        var held = services.Config().Where(s => s.Key.StartsWith("scale-", StringComparison.Ordinal)).Sum(s => s.Value.Count);
        var heldEndpoints = endpoints.Config().Where(s => s.Key.StartsWith("scale-", StringComparison.Ordinal)).Sum(s => s.Value.Count);
        if (held != perKind || heldEndpoints != perKind)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"the subscriber holds {held} + {heldEndpoints}, not {perKind} + {perKind}"));
        }
        return seconds;
    }
}
