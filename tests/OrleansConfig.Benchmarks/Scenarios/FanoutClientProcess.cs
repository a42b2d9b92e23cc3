using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// The client process of <see cref="FanoutProcessScenario"/> (hidden sub-command <c>fanout-client GATEWAY CLUSTER SERVICE
/// SUBSCRIBERS CHANGES WARMUP</c>): one Orleans client, that many <see cref="ServiceConfig"/>s each with a change handler.
/// Prints <c>ready</c> once every handler has its initial union, <c>seen I</c> once every handler has change I, then
/// <c>latencies ms,ms,...</c> (all changes after the warm-up ones), and leaves.
/// </summary>
internal static class FanoutClientProcess
{
    public static async Task<int> Run(string[] args)
    {
        try
        {
            var gateway = IPEndPoint.Parse(args[0]);
            var subscribers = int.Parse(args[3], CultureInfo.InvariantCulture);
            var changes = int.Parse(args[4], CultureInfo.InvariantCulture);
            var warmup = int.Parse(args[5], CultureInfo.InvariantCulture);
            await using var connection = await BenchCluster.Connect(gateway, args[1], args[2]);
            var tally = new Tally(subscribers, changes, warmup);
            var configs = new List<ServiceConfig>();
            var registrations = new List<HandlerRegistration>();
            for (var s = 0; s < subscribers; s++)
            {
                var config = new ServiceConfig(connection.Client);
                registrations.Add(config.RegisterHandler(new Handler(tally)));
                configs.Add(config);
            }
            await Task.WhenAll(registrations.Select(r => r.WaitForSyncAsync())).WaitAsync(TimeSpan.FromMinutes(2));
            Console.WriteLine("ready");

            // Bounded, so a process whose parent went away does not stay for ever.
            await tally.Done.WaitAsync(TimeSpan.FromMinutes(10));
            foreach (var config in configs) await config.DisposeAsync();
            return 0;
        }
        catch (Exception exception)
        {
            Console.WriteLine($"error {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>Counts, per change, the handlers that have it, and gathers the latencies.</summary>
    private sealed class Tally(int subscribers, int changes, int warmup)
    {
        private readonly int[] _seen = new int[changes];
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly Lock _output = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _complete;

        /// <summary>Completes once every handler has every change and the latencies are printed.</summary>
        public Task Done => _done.Task;

        public void Delivered(int change, long stamp)
        {
            var now = Stopwatch.GetTimestamp();
            if (change >= warmup) _latencies.Add(Stopwatch.GetElapsedTime(stamp, now).TotalMilliseconds);
            if (Interlocked.Increment(ref _seen[change]) != subscribers) return;
            lock (_output) Console.WriteLine($"seen {change}");
            if (Interlocked.Increment(ref _complete) != changes) return;
            lock (_output) Console.WriteLine("latencies " + string.Join(",", _latencies.Select(l => l.ToString("0.###", CultureInfo.InvariantCulture))));
            _done.TrySetResult();
        }
    }

    private sealed class Handler(Tally tally) : IServiceChangeHandler
    {
        public Task OnChanges(ConfigChanges<Service> changes)
        {
            foreach (var item in changes.Added)
            {
                var name = item.Metadata.Name;
                if (!name.StartsWith(FanoutProcessScenario.Prefix, StringComparison.Ordinal)) continue;
                if (!item.Metadata.Annotations.TryGetValue(FanoutProcessScenario.Stamp, out var stamp)) continue;
                tally.Delivered(int.Parse(name.AsSpan(FanoutProcessScenario.Prefix.Length), CultureInfo.InvariantCulture),
                    long.Parse(stamp, CultureInfo.InvariantCulture));
            }
            return Task.CompletedTask;
        }
    }
}
