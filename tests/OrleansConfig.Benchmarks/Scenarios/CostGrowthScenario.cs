using System.Diagnostics;
using Orleans.Streams;
using OrleansConfig.Benchmarks.Baseline;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// Time per single-item change with a large union ÷ with a small one, through source, aggregator and
/// stream; and the same ratio for the original algorithm in-process.
/// </summary>
internal static class CostGrowthScenario
{
    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        const int small = 1_000;
        var large = options.Size(100_000, 20_000);
        var changes = options.Size(2_000, 300);
        await using var cluster = await BenchCluster.Start(1);
        var observer = new VersionObserver();
        var stream = cluster.Client.GetStreamProvider(UnionStream.ProviderName).GetStream<UnionDelta>(UnionStream.Id);
        var handle = await stream.SubscribeAsync(observer.OnNext);

        var smallCost = await PerChange(cluster.Client, observer, small, changes, "small");
        var largeCost = await PerChange(cluster.Client, observer, large, changes, "large");
        results.Add("cost_per_change_1k_us", smallCost * 1000, "us", null, $"{changes} sequential single-item Adds, union of {small}");
        results.Add($"cost_per_change_{large / 1000}k_us", largeCost * 1000, "us", null, $"the same, union of {large}");
        results.Add("cost_growth_ratio", largeCost / smallCost, "ratio", "<= 1.5", $"{large} vs {small} items");
        await handle.UnsubscribeAsync();

        var seedSmall = SeedPerChange(small, changes);
        var seedLarge = SeedPerChange(large, options.Size(200, 100));
        results.Add("seed_cost_growth_ratio", seedLarge / seedSmall, "ratio", "reported",
            "original algorithm: rebuild and hand over the union per change");
    }

    /// <summary>Milliseconds per change: sequential Adds, until the stream has delivered the last one.</summary>
    private static async Task<double> PerChange(IClusterClient client, VersionObserver observer, int unionSize, int changes, string tag)
    {
        var bulk = client.GetSource($"bulk-{tag}");
        var loaded = await bulk.Apply(new ServiceUpdate(Operation.Set, [.. Fixtures.Services($"{tag}-", unionSize)]));
        if (!loaded.Accepted) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var probe = client.GetSource($"probe-{tag}");
        for (var i = 0; i < 100; i++) await probe.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service($"w{i}")]));
        var target = (await client.GetAggregator().GetVersion()).Version + changes;
        var done = observer.WhenVersion(target);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < changes; i++) await probe.Apply(new ServiceUpdate(Operation.Add, [Fixtures.Service($"c{i}")]));
        var end = await done.WaitAsync(TimeSpan.FromMinutes(2));
        return Stopwatch.GetElapsedTime(start, end).TotalMilliseconds / changes;
    }

    private static double SeedPerChange(int unionSize, int changes)
    {
        var seen = 0;
        var seed = new SeedServiceConfig(union => seen = union.Count);
        seed.Update("bulk", new ServiceUpdate(Operation.Set, [.. Fixtures.Services("b-", unionSize)]));
        var updates = Enumerable.Range(0, changes).Select(i => new ServiceUpdate(Operation.Add, [Fixtures.Service($"c{i}")])).ToArray();
        var start = Stopwatch.GetTimestamp();
        foreach (var update in updates) seed.Update("probe", update);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / changes + (seen < 0 ? 1 : 0);
    }

    private sealed class VersionObserver
    {
        private long _target = long.MaxValue;
        private TaskCompletionSource<long>? _done;

        public Task OnNext(UnionDelta delta, StreamSequenceToken? token)
        {
            if (delta.Version.Version >= Volatile.Read(ref _target)) _done?.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }

        public Task<long> WhenVersion(long version)
        {
            _done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _target, version);
            return _done.Task;
        }
    }
}
