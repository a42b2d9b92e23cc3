using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// What each extra <see cref="ServiceConfig"/> costs in a process that already follows a large union: managed memory
/// after a forced full collection, with one config (handler called with the whole union), then with 99 more (each with
/// a handler that keeps the union it was given, each synced), the difference divided by 99.
/// </summary>
internal static class SubscriberMemoryScenario
{
    private const int Sources = 10;

    /// <summary>The extra configs measured (the 2nd to the 100th).</summary>
    private const int Extra = 99;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var size = options.Size(100_000, 10_000);
        await using var cluster = await BenchCluster.Start(1);
        var perSource = size / Sources;
        for (var s = 0; s < Sources; s++)
        {
            var result = await cluster.Client.GetSource($"memory-{s}").Apply(new SourceUpdate
            {
                Services = new ServiceUpdate(Operation.Set, [.. Fixtures.Services($"m{s}-", perSource)]),
            });
            if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
        }

        // A client of its own, as an application process would have: what it holds is the subscribers' alone.
        var client = await cluster.ConnectClient(0);
        var configs = new List<ServiceConfig>();
        var handlers = new List<KeepingHandler>();
        await AddConfigAsync(client, size, configs, handlers);
        var before = ManagedBytes();
        for (var i = 0; i < Extra; i++) await AddConfigAsync(client, size, configs, handlers);
        var after = ManagedBytes();
        GC.KeepAlive(handlers);

        var label = size % 1000 == 0 ? $"{size / 1000}k" : size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        results.Add($"subscriber_extra_kb_{label}", (after - before) / 1024.0 / Extra, "KB", size == 100_000 ? "<= 1024" : null,
            $"managed memory per extra ServiceConfig with a handler (2nd..{Extra + 1}th), union of {size} services");
        foreach (var config in configs) await config.DisposeAsync();
    }

    private static async Task AddConfigAsync(IClusterClient client, int size, List<ServiceConfig> configs, List<KeepingHandler> handlers)
    {
        var handler = new KeepingHandler();
        var config = new ServiceConfig(client);
        config.RegisterHandler(handler.OnUpdate);
        configs.Add(config);
        handlers.Add(handler);
        await config.WaitForSyncAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await handler.Reached(size).WaitAsync(TimeSpan.FromMinutes(2));
    }

    private static long ManagedBytes()
    {
        // Twice, so objects finalized by the first collection are gone in the second.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Keeps the last union it was told, as an application holding its configuration would.</summary>
    private sealed class KeepingHandler
    {
        private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _size = int.MaxValue;

        public IReadOnlyList<Service> Kept { get; private set; } = [];

        public Task OnUpdate(IReadOnlyList<Service> items)
        {
            Kept = items;
            if (items.Count >= Volatile.Read(ref _size)) _full.TrySetResult();
            return Task.CompletedTask;
        }

        public Task Reached(int size)
        {
            Volatile.Write(ref _size, size);
            if (Kept.Count >= size) _full.TrySetResult();
            return _full.Task;
        }
    }
}
