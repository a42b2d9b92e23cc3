using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.Cluster;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// Where the single aggregator saturates: 3 silo processes on Redis, sources that live on the two silos the aggregator
/// does not, each written by concurrent callers as fast as they answer (single-item Adds), in steps of more callers.
/// Measured per step: the union's versions per second (one per change the aggregator applies and publishes), the CPU of
/// the aggregator's silo process and of the whole machine. The ceiling is the best step.
/// </summary>
internal static class AggregatorCeilingScenario
{
    private const int Silos = 3, Sources = 12, Candidates = 48;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        if (options.Tls)
        {
            Console.WriteLine("  (skipped with --tls: the silo processes run without certificates)");
            return;
        }
        var step = TimeSpan.FromSeconds(options.Size(5, 1));
        int[] callers = options.Quick ? [12, 48] : [12, 48, 192];
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            await using var cluster = new LoopbackCluster(redis, Silos);
            await cluster.StartAllAsync();
            var connections = new List<GatewayClient>();
            try
            {
                for (var i = 0; i < Silos; i++)
                {
                    connections.Add(await BenchCluster.Connect(cluster.Gateway(i), cluster.ClusterId, cluster.ClusterId));
                }
                var grains = connections[0].Client;
                var aggregator = grains.GetAggregator();
                var (aggregatorSilo, sources) = await PlaceSources(cluster, grains);
                var pid = cluster.ProcessId(aggregatorSilo);

                var best = (Rate: 0.0, Callers: 0, SiloCpu: 0.0, MachineCpu: 0.0);
                var counter = 0L;
                foreach (var count in callers)
                {
                    using var stop = new CancellationTokenSource();
                    var writers = Enumerable.Range(0, count).Select(c => Task.Run(async () =>
                    {
                        var source = connections[c % Silos].Client.GetSource(sources[c % sources.Count]);
                        while (!stop.IsCancellationRequested)
                        {
                            var name = $"x{Interlocked.Increment(ref counter) % 5_000}";
                            var result = await source.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service(name, port: 1 + (c % 60_000))]));
                            if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
                        }
                    })).ToArray();
                    // Past the ramp-up before measuring.
                    await Task.Delay(step / 2);
                    var before = await aggregator.GetVersion();
                    var (siloCpu, machineCpu) = (ProcessMeter.CpuSeconds(pid), ProcessMeter.MachineBusySeconds());
                    var start = Stopwatch.GetTimestamp();
                    await Task.Delay(step);
                    var after = await aggregator.GetVersion();
                    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    siloCpu = (ProcessMeter.CpuSeconds(pid) - siloCpu) / seconds * 100;
                    machineCpu = (ProcessMeter.MachineBusySeconds() - machineCpu) / seconds / Environment.ProcessorCount * 100;
                    await stop.CancelAsync();
                    await Task.WhenAll(writers);
                    if (after.Epoch != before.Epoch) throw new InvalidOperationException("ceiling: the aggregator restarted during the step");
                    var rate = (after.Version - before.Version) / seconds;
                    Console.WriteLine($"  {count} callers: {rate:0} updates/s at the aggregator; its silo {siloCpu:0} % of a core, " +
                        $"the machine {machineCpu:0} % busy");
                    if (rate > best.Rate) best = (rate, count, siloCpu, machineCpu);
                }
                results.Add("aggregator_ceiling_updates_per_s", best.Rate, "updates/s", "reported",
                    $"{sources.Count} sources on the 2 other silos (Redis journals), {best.Callers} concurrent callers of single-item Adds; " +
                    $"the aggregator's silo used {best.SiloCpu:0} % of a core, the machine was {best.MachineCpu:0} % busy");
                results.Add("aggregator_ceiling_silo_cpu_percent", best.SiloCpu, "%", null, "CPU of the aggregator's silo process at the ceiling");
            }
            finally
            {
                foreach (var connection in connections) await connection.DisposeAsync();
            }
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>
    /// Activates the aggregator and candidate sources, then keeps the sources that Orleans placed on other silos than the
    /// aggregator's: their changes cross the network to it, as in a deployment.
    /// </summary>
    private static async Task<(int AggregatorSilo, List<string> Sources)> PlaceSources(LoopbackCluster cluster, IClusterClient grains)
    {
        await grains.GetAggregator().GetVersion();
        var names = Enumerable.Range(0, Candidates).Select(i => $"ceiling-{i}").ToArray();
        foreach (var name in names)
        {
            var result = await grains.GetSource(name).Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service("seed")]));
            if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
        }
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var where = statistics.GroupBy(s => s.GrainId).ToDictionary(g => g.Key, g => g.First().SiloAddress);
        var aggregatorSilo = cluster.IndexOf(where[grains.GetAggregator().GetGrainId()]);
        var remote = names.Where(n => cluster.IndexOf(where[grains.GetSource(n).GetGrainId()]) != aggregatorSilo).Take(Sources).ToList();
        if (remote.Count == 0) throw new InvalidOperationException("ceiling: every source was placed on the aggregator's silo");
        return (aggregatorSilo, remote);
    }
}
