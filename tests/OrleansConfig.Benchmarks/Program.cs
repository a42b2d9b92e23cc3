using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.Benchmarks.Scenarios;

// Hidden: the client processes of the scale scenario are this program started again.
if (args is ["fanout-client", .. var clientArgs]) return await FanoutClientProcess.Run(clientArgs);

var options = BenchmarkOptions.Parse(args);
var results = new BenchmarkResults();
BenchCluster.PollInterval = options.PollInterval;
using var tls = options.Tls ? BenchTls.Create() : null;
BenchCluster.Tls = tls;
var scenarios = new (string Name, Func<BenchmarkOptions, BenchmarkResults, Task> Run)[]
{
    ("propagation", PropagationScenario.Run),
    ("throughput", ThroughputScenario.Run),
    ("batch", BatchSetScenario.Run),
    ("cost", CostGrowthScenario.Run),
    ("changes", ChangeHandlerScenario.Run),
    ("fanout", FanoutScenario.Run),
    ("etcd", EtcdScenario.Run),
    ("silo", SiloProcessScenario.Run),
    ("discovery", DiscoveryScenario.Run),
    ("yarp", YarpScenario.Run),
    ("slices", SliceScenario.Run),
    ("scale-subscribers", SubscriberMemoryScenario.Run),
    ("scale-fanout", FanoutProcessScenario.Run),
    ("scale-status", StatusPageScenario.Run),
    ("scale-snapshot", ScaleSnapshotScenario.Run),
    ("scale-memory", ScaleMemoryScenario.Run),
    ("scale-stages", ChangeStagesScenario.Run),
    ("scale-churn", ChurnScenario.Run),
    ("scale-restart", RestartScenario.Run),
    ("scale-ceiling", AggregatorCeilingScenario.Run),
};

var started = DateTime.UtcNow;
foreach (var (name, run) in scenarios)
{
    if (!options.Includes(name)) continue;
    Console.WriteLine($"== {name}");
    await run(options, results);
}

results.Print(Console.Out);
Console.WriteLine(
    $"\n{(options.Quick ? "quick" : "full")} run on {Environment.ProcessorCount} cores in {(DateTime.UtcNow - started).TotalSeconds:0} s");
if (options.Out is { } path) results.Write(path, options);
return 0;
