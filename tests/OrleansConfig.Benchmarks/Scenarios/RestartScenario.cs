using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.Cluster;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// Recovery after an outage: 3 silo processes (published ReadyToRun, as the image is) on a real Redis (clustering, source
/// journals, stream subscriptions) holding N services + N endpoints from 10 sources, all SIGKILLed, then all started
/// again at once. Measured from that start to a client reading the whole union (every item, the version it answers
/// with) through the first gateway up, and what each second went to: the first silo's start and join, the client's
/// connection, the aggregator's rebuild from every source's journal, the snapshot read; and when every silo had joined.
/// </summary>
internal static class RestartScenario
{
    private const int Silos = 3, Sources = 10;

    /// <summary>When set, the file the silos' output goes to (after the load, or after the restart's first answer).</summary>
    private const string LogVariable = "OC_BENCH_RESTART_LOG";

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        if (options.Tls)
        {
            Console.WriteLine("  (skipped with --tls: the silo processes run without certificates)");
            return;
        }
        var perKind = options.Size(100_000, 2_000);
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            // The aggregator's rebuild line (its timings) and each source's load time, for the phases below. A quick run
            // (the test that keeps the harness working) takes the built silo: publishing would be most of its time.
            await using var cluster = new LoopbackCluster(redis, Silos,
                ["--Logging:LogLevel:OrleansConfig.AggregatorGrain=Information", "--Logging:LogLevel:OrleansConfig.SourceGrain=Debug"],
                options.Quick ? null : await ReadyToRunSilo.PublishAsync());
            // The first start, into an empty membership table: what a silo's start costs with no dead entries to wait for.
            var cold = Stopwatch.GetTimestamp();
            await cluster.StartAsync(0);
            var coldSeconds = Stopwatch.GetElapsedTime(cold).TotalSeconds;
            await Task.WhenAll(Enumerable.Range(1, Silos - 1).Select(cluster.StartAsync));
            HashSet<string> expected;
            try
            {
                expected = await Load(cluster, perKind);
            }
            catch (Exception) when (Environment.GetEnvironmentVariable(LogVariable) is { } failureLog)
            {
                await File.WriteAllTextAsync(failureLog, cluster.Describe(400));
                throw;
            }
            Console.WriteLine($"  loaded; killing the silos");

            await Task.WhenAll(Enumerable.Range(0, Silos).Select(cluster.KillAsync));
            // This process's garbage from the scenarios before (a million items read) collected now, not while it reads.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var start = Stopwatch.GetTimestamp();
            // All at once, as after a power cut: each one's host starts once it has joined the membership table.
            var starting = Enumerable.Range(0, Silos).Select(async i =>
            {
                await cluster.StartAsync(i);
                return (Silo: i, Seconds: Stopwatch.GetElapsedTime(start).TotalSeconds);
            }).ToArray();
            // A client goes to the first gateway that answers, as one given every silo's gateway does; the others may
            // still be joining (Orleans backs off 2-4 s when silos joining at once contend for the membership table).
            var first = await await Task.WhenAny(starting);
            await using var connection = await BenchCluster.Connect(cluster.Gateway(first.Silo), cluster.ClusterId, cluster.ClusterId);
            var connected = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var aggregator = connection.Client.GetAggregator();
            // The first call activates the aggregator: a new epoch, rebuilt from every source's snapshot and journal.
            // A call that times out is made again, as every subscriber does.
            var (version, retries) = await Retry(aggregator.GetVersion);
            var rebuilt = Stopwatch.GetElapsedTime(start).TotalSeconds;
            // What a real client does: pages at one version, several in flight (not one message of the whole union).
            var (snapshot, _) = await Retry(() => aggregator.ReadSnapshotAsync());
            var total = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var started = (await Task.WhenAll(starting)).Select(s => s.Seconds).ToArray();
            var siloLog = cluster.Describe(400);
            if (Environment.GetEnvironmentVariable(LogVariable) is { } log) await File.WriteAllTextAsync(log, siloLog);
            Check(snapshot, version, expected);

            var label = perKind % 1000 == 0 ? $"{perKind / 1000}k" : perKind.ToString(System.Globalization.CultureInfo.InvariantCulture);
            results.Add($"restart_{label}_s", total, "s", perKind == 100_000 ? "<= 10" : null,
                $"{Silos} silos on Redis holding {perKind} services + {perKind} endpoints, all SIGKILLed: first start -> " +
                "a client has read the whole union");
            results.Add($"restart_{label}_first_silo_started_s", first.Seconds, "s", null,
                $"the first silo's host started (joined the cluster); one silo into an empty table: {coldSeconds:0.00} s");
            results.Add($"restart_{label}_silos_started_s", started.Max(), "s", null,
                "every silo's host started, while the union was rebuilt and read through the first");
            results.Add($"restart_{label}_client_connected_s", connected - first.Seconds, "s", null,
                "a client connected to it, after that");
            results.Add($"restart_{label}_aggregator_rebuilt_s", rebuilt - connected, "s", null,
                $"first call: the aggregator activated, {Sources} sources loaded from Redis, the union rebuilt{RebuildTimes(siloLog)}" +
                (retries > 0 ? $" ({retries} call(s) timed out and were made again)" : ""));
            results.Add($"restart_{label}_snapshot_s", total - rebuilt, "s", null, "the whole union read by the client, in pages");
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>The aggregator's own account of its rebuild (log 1002), when its silo's output still holds the line.</summary>
    private static string RebuildTimes(string siloLog)
    {
        // The rebuild of every source: the first start's aggregator also logged one, of no sources.
        var match = System.Text.RegularExpressions.Regex.Matches(
                siloLog, @"from (\d+) source\(s\).*first source answered after (\d+) ms, all loaded after (\d+) ms")
            .LastOrDefault(m => m.Groups[1].Value == Sources.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return match is null
            ? ""
            : $" (in the grain: first source's answer after {match.Groups[2].Value} ms, all after {match.Groups[3].Value} ms)";
    }

    private static async Task<(T Value, int Retries)> Retry<T>(Func<Task<T>> call)
    {
        for (var retries = 0; ; retries++)
        {
            try
            {
                return (await call(), retries);
            }
            catch (TimeoutException) when (retries < 5)
            {
                Console.WriteLine($"  a call timed out; again");
            }
        }
    }

    private static async Task<HashSet<string>> Load(LoopbackCluster cluster, int perKind)
    {
        await using var connection = await BenchCluster.Connect(cluster.Gateway(0), cluster.ClusterId, cluster.ClusterId);
        var grains = connection.Client;
        var perSource = perKind / Sources;
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < Sources; s++)
        {
            var names = Enumerable.Range(0, perSource).Select(i => $"r{s}-{i}").ToArray();
            var result = await grains.GetSource($"restart-{s}").Apply(new SourceUpdate
            {
                Services = new ServiceUpdate(Operation.Set, [.. names.Select(n => Fixtures.Service(n))]),
                Endpoints = new EndpointsUpdate(Operation.Set, [.. names.Select((n, i) => Fixtures.Endpoints(n, 3, seed: i))]),
                Synced = true,
            });
            if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
            expected.UnionWith(names.Select(n => $"restart-{s}/{n}"));
        }
        var snapshot = await grains.GetAggregator().GetSnapshot();
        Check(snapshot, snapshot.Version, expected);
        return expected;
    }

    /// <summary>Every item written, each once, in both kinds, at the version the aggregator answered with.</summary>
    private static void Check(UnionSnapshot snapshot, UnionVersion version, HashSet<string> expected)
    {
        if (snapshot.Version != version)
        {
            throw new InvalidOperationException($"restart: the snapshot is at {snapshot.Version}, the aggregator said {version}");
        }
        foreach (var (kind, items) in new[]
            { ("services", snapshot.Services.Cast<IConfigItem>()), ("endpoints", snapshot.Endpoints.Cast<IConfigItem>()) })
        {
            var names = items.Select(i => $"{i.Source()}/{i.Metadata.Name}").ToList();
            if (names.Count != expected.Count || !expected.SetEquals(names))
            {
                throw new InvalidOperationException(
                    $"restart: the union's {kind} after the restart are {names.Count} items, expected {expected.Count}; " +
                    $"missing e.g. {expected.Except(names).FirstOrDefault() ?? "none"}");
            }
        }
    }
}
