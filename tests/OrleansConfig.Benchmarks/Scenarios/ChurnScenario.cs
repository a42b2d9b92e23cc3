using System.Diagnostics;
using System.Globalization;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// Sustained churn: 4 sources write single-item changes at a fixed total rate (10,000/s for 30 s) through the client
/// library's channels, as adapters do, while 100 change handlers on 4 client connections follow the union. Each change
/// carries its write time; every delivery to every handler is one latency sample. At the end every handler's folded
/// state must be exactly the last value written for every key, or the scenario fails.
/// </summary>
internal static class ChurnScenario
{
    /// <summary>The annotation carrying the writer's <see cref="Stopwatch.GetTimestamp"/>.</summary>
    private const string Stamp = "bench.orleans-config/written";

    private const int Sources = 4, Connections = 4, KeysPerSource = 1_000;

    private static readonly ConfigClientOptions Options = new()
    {
        MinInterval = TimeSpan.FromMilliseconds(
            double.Parse(Environment.GetEnvironmentVariable("OC_CHURN_MIN_MS") ?? "0", CultureInfo.InvariantCulture)),
    };

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var rate = options.Size(10_000, 2_000);
        var seconds = options.Size(30, 3);
        // The same churn first, not counted: a process just started runs unoptimized code, and a backlog built then
        // would be measured as the steady state's.
        var warmup = options.Size(5, 1);
        long measuredFrom = long.MaxValue;
        var subscriberCount = options.Size(100, 20);
        await using var cluster = await BenchCluster.Start(1);
        // Where the time goes: the silo's and the views' own propagation histograms (from the source accepting a change).
        var published = new LatencyHistogram();
        var viewed = new LatencyHistogram();
        using var listener = new PropagationStages((stage, ms) =>
        {
            if (Stopwatch.GetTimestamp() < Volatile.Read(ref measuredFrom)) return;
            var histogram = stage == "publish" ? published : viewed;
            lock (histogram) histogram.Record(ms);
        });
        var subscribers = new List<Subscriber>();
        var configs = new List<ServiceConfig>();
        for (var c = 0; c < Connections; c++)
        {
            var client = await cluster.ConnectClient(c);
            for (var s = 0; s < subscriberCount / Connections; s++)
            {
                var subscriber = new Subscriber();
                var config = new ServiceConfig(client, options: Options);
                config.RegisterHandler(subscriber);
                subscribers.Add(subscriber);
                configs.Add(config);
            }
        }
        await Task.WhenAll(configs.Select(c => c.WaitForSyncAsync()));
        await using var writer = new ServiceConfig(await cluster.ConnectClient(Connections));

        listener.Start();
        var perSource = rate / Sources;
        var count = perSource * (warmup + seconds);
        var expected = new Dictionary<string, long>[Sources];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var pausedBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref measuredFrom, start + (warmup * Stopwatch.Frequency));
        foreach (var subscriber in subscribers) subscriber.MeasuredFrom = measuredFrom;
        var behind = await Task.WhenAll(Enumerable.Range(0, Sources).Select(s => Task.Run(async () =>
        {
            expected[s] = [];
            // Each key's item made once: what is timed is the system, not the harness building items.
            var templates = Enumerable.Range(0, KeysPerSource).Select(k => Fixtures.Service($"c{s}-{k}", "churn")).ToArray();
            var channel = writer.Channel($"churn-{s}");
            var written = 0;
            double lagMs = 0;
            while (written < count)
            {
                // Every change that is due by now, then a timer tick: a steady rate, not one burst a second.
                var due = Math.Min(count, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSource) + 1);
                lagMs = Math.Max(lagMs, (due - written) * 1000.0 / perSource);
                for (; written < due; written++)
                {
                    var template = templates[written % KeysPerSource];
                    var stamp = Stopwatch.GetTimestamp();
                    expected[s][template.Metadata.Name] = stamp;
                    await channel.WriteAsync(new ServiceUpdate(Operation.Add, [Stamped(template, stamp)]));
                }
                if (written < count) await Task.Delay(1);
            }
            return lagMs;
        })));
        var writeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        listener.Dispose();

        var union = expected.SelectMany((e, s) => e.Select(p => (Source: $"churn-{s}", Name: p.Key, Stamp: p.Value)))
            .ToDictionary(e => (e.Source, e.Name), e => e.Stamp);
        // Checked every 100 ms, not Eventually's 5: each check walks every subscriber's copy under its lock.
        var waited = Stopwatch.StartNew();
        while (!subscribers.All(s => s.Matches(union)) && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(100);
        if (!subscribers.All(s => s.Matches(union)))
        {
            var wrong = subscribers.Select((s, i) => (Index: i, Difference: s.Difference(union)))
                .Where(d => d.Difference is not null).ToList();
            throw new InvalidOperationException(
                $"churn: {wrong.Count} of {subscribers.Count} subscribers did not end at the union written, first: " +
                $"subscriber {wrong[0].Index}: {wrong[0].Difference}");
        }

        // What the whole process (silo, clients, writers, handlers) spent per change: less noisy than latency on a busy machine.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var histograms = subscribers.Select(s => s.Latencies).ToArray();
        var label = rate % 1000 == 0 ? $"{rate / 1000}k" : rate.ToString(CultureInfo.InvariantCulture);
        var deliveries = histograms.Sum(h => h.Count);
        results.Add($"churn_{label}_p50_ms", LatencyHistogram.Percentile(histograms, 50), "ms", null,
            $"{rate} changes/s for {seconds} s after {warmup} s not counted ({writeSeconds:0.0} s taken in all) from {Sources} sources, " +
            $"{subscribers.Count} subscribers " +
            $"on {Connections} connections, {deliveries} deliveries; every subscriber exact at the end");
        results.Add($"churn_{label}_p99_ms", LatencyHistogram.Percentile(histograms, 99), "ms", rate == 10_000 ? "<= 100" : null,
            $"write -> change handler, over all deliveries; writers at most {behind.Max():0} ms behind schedule");
        results.Add($"churn_{label}_cpu_us_per_change", cpu.TotalMicroseconds / (count * (double)Sources), "us", null,
            $"CPU time of the harness process (silo, {Connections + 1} clients, writers, handlers) per change written, " +
            $"{cpu.TotalSeconds:0.0} s over the run, warm-up included; " +
            $"GC paused it {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:0} ms " +
            $"({GC.CollectionCount(2) - gen2Before} gen2 collections), allocated " +
            $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / (count * (double)Sources):0.0} KB per change");
        results.Add($"churn_{label}_publish_p99_ms", LatencyHistogram.Percentile([published], 99), "ms", null,
            $"source grain accepted -> published by the aggregator (p50 {LatencyHistogram.Percentile([published], 50):0.00} ms)");
        results.Add($"churn_{label}_view_p99_ms", LatencyHistogram.Percentile([viewed], 99), "ms", null,
            $"source grain accepted -> each client's view applied it (p50 {LatencyHistogram.Percentile([viewed], 50):0.00} ms)");
        foreach (var config in configs) await config.DisposeAsync();
    }

    private static Service Stamped(Service template, long stamp) => template with
    {
        Metadata = template.Metadata with { Annotations = ValueMap.Empty.With(Stamp, stamp.ToString(CultureInfo.InvariantCulture)) },
    };

    /// <summary>A change handler that records each delivery's latency and folds the changes into its own copy of the union.</summary>
    private sealed class Subscriber : IServiceChangeHandler
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<(string Source, string Name), long> _seen = [];

        public LatencyHistogram Latencies { get; } = new();

        /// <summary>Changes written before this <see cref="Stopwatch"/> timestamp (the warm-up) are not latency samples.</summary>
        public long MeasuredFrom { get; set; } = long.MaxValue;

        public Task OnChanges(ConfigChanges<Service> changes)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                foreach (var item in changes.Added) Note(item, now);
                foreach (var update in changes.Updated) Note(update.New, now);
                foreach (var item in changes.Removed) _seen.Remove((item.Source(), item.Metadata.Name));
            }
            return Task.CompletedTask;
        }

        public bool Matches(Dictionary<(string Source, string Name), long> union)
        {
            lock (_lock) return _seen.Count == union.Count && union.All(p => _seen.TryGetValue(p.Key, out var v) && v == p.Value);
        }

        /// <summary>What differs from <paramref name="union"/>, or null.</summary>
        public string? Difference(Dictionary<(string Source, string Name), long> union)
        {
            lock (_lock)
            {
                if (_seen.Count != union.Count) return $"{_seen.Count} items, expected {union.Count}";
                foreach (var (key, stamp) in union)
                {
                    if (!_seen.TryGetValue(key, out var have)) return $"{key.Item1}/{key.Item2} missing";
                    if (have != stamp) return $"{key.Item1}/{key.Item2} at stamp {have}, expected the last written, {stamp}";
                }
                return null;
            }
        }

        private void Note(Service item, long now)
        {
            if (!item.Metadata.Annotations.TryGetValue(Stamp, out var text)) return;
            var stamp = long.Parse(text, CultureInfo.InvariantCulture);
            _seen[(item.Source(), item.Metadata.Name)] = stamp;
            if (stamp >= MeasuredFrom) Latencies.Record(Stopwatch.GetElapsedTime(stamp, now).TotalMilliseconds);
        }
    }
}
