using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.Client;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// Time per single-item change seen by a change handler with a large union ÷ with a small one: the client library
/// alone (subscription, view, fold, dispatch), fed by an in-process stream. The changes are published back to back and
/// the clock stops when the handler has seen the last, so thread hand-offs (which do not grow with the union, and which a
/// loaded machine makes erratic) are shared by many changes. Both sizes update the same number of distinct items, spread
/// over the union. A handler told the whole union, given one change at a time, shows what the change handler saves.
/// </summary>
internal static class ChangeHandlerScenario
{
    private const int Touched = 1_000;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        const int small = 1_000;
        var large = options.Size(100_000, 20_000);
        var changes = options.Size(50_000, 5_000);

        // The median of nine rounds, alternating sizes. How many changes fold into one handler call depends on how the
        // publisher and the handler's thread race, so single rounds vary two- to threefold on a quiet machine; the best
        // of a few let one lucky round decide the ratio.
        var smallCosts = new List<double>();
        var largeCosts = new List<double>();
        for (var round = 0; round < 9; round++)
        {
            smallCosts.Add(await ChangeHandlerPerChange(small, changes));
            largeCosts.Add(await ChangeHandlerPerChange(large, changes));
        }
        var smallCost = Stats.Median(smallCosts);
        var largeCost = Stats.Median(largeCosts);
        results.Add("change_handler_per_change_1k_us", smallCost * 1000, "us", null, $"{changes} single-item updates, union of {small}");
        results.Add($"change_handler_per_change_{large / 1000}k_us", largeCost * 1000, "us", null, $"the same, union of {large}");
        results.Add("change_handler_cost_growth_ratio", largeCost / smallCost, "ratio", "<= 1.5", $"{large} vs {small} items");

        var fullChanges = options.Size(300, 100);
        var fullSmall = await FullHandlerPerChange(small, fullChanges);
        var fullLarge = await FullHandlerPerChange(large, fullChanges);
        results.Add("full_handler_cost_growth_ratio", fullLarge / fullSmall, "ratio", "reported", "a handler told the whole union, one change at a time");
    }

    /// <summary>Milliseconds per change: <paramref name="changes"/> single-item updates published, until the handler has seen the last.</summary>
    private static async Task<double> ChangeHandlerPerChange(int unionSize, int changes)
    {
        var feed = new Feed(unionSize);
        await using var config = new ServiceConfig(feed, options: new ConfigClientOptions { ProbeInterval = TimeSpan.Zero });
        var handler = new Calls();
        await config.RegisterHandler(handler).WaitForSyncAsync().WaitAsync(TimeSpan.FromMinutes(1));

        // Item (i mod 1000) of 1000 spread over the union; each update of it a port none before used, so each is a change.
        var updates = Enumerable.Range(0, changes)
            .Select(i => Fixtures.Service($"b{i % Touched * (unionSize / Touched)}", port: 1000 + i / Touched))
            .ToArray();
        await Burst(feed, handler, updates[..Math.Min(2_000, changes)]);
        // Steady state: the snapshot's garbage (and the previous round's union) collected before the clock starts.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var start = Stopwatch.GetTimestamp();
        await Burst(feed, handler, updates);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / changes;
    }

    private static async Task Burst(Feed feed, Calls handler, Service[] updates)
    {
        var seen = handler.WhenVersion(feed.Version + updates.Length);
        foreach (var update in updates) feed.Publish(update);
        await seen.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>Milliseconds per change for a handler told the whole union: each change awaited before the next.</summary>
    private static async Task<double> FullHandlerPerChange(int unionSize, int changes)
    {
        var feed = new Feed(unionSize);
        await using var config = new ServiceConfig(feed, options: new ConfigClientOptions { ProbeInterval = TimeSpan.Zero });
        var handler = new Calls();
        var calls = 1;
        var initial = handler.WhenCount(calls);
        config.RegisterHandler(handler.OnUpdate);
        await initial.WaitAsync(TimeSpan.FromMinutes(1));
        GC.Collect();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < changes; i++)
        {
            var done = handler.WhenCount(++calls);
            feed.Publish(Fixtures.Service($"c{i}"));
            await done.WaitAsync(TimeSpan.FromMinutes(1));
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / changes;
    }

    /// <summary>Counts calls, and notes the version a change handler reached; a wait completes once either reaches its target.</summary>
    private sealed class Calls : IServiceChangeHandler
    {
        private readonly Lock _lock = new();
        private int _count;
        private int _target = int.MaxValue;
        private long _version;
        private long _targetVersion = long.MaxValue;
        private TaskCompletionSource? _reached;

        public Task OnChanges(ConfigChanges<Service> changes)
        {
            lock (_lock)
            {
                _version = changes.Version.Version;
                if (_version >= _targetVersion) _reached?.TrySetResult();
            }
            return Task.CompletedTask;
        }

        public Task WhenVersion(long version)
        {
            lock (_lock)
            {
                _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _targetVersion = version;
                if (_version >= version) _reached.TrySetResult();
                return _reached.Task;
            }
        }

        public Task OnUpdate(IReadOnlyList<Service> union) => Called();

        public Task WhenCount(int count)
        {
            lock (_lock)
            {
                _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _target = count;
                if (_count >= count) _reached.TrySetResult();
                return _reached.Task;
            }
        }

        private Task Called()
        {
            lock (_lock)
            {
                if (++_count >= _target) _reached?.TrySetResult();
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>An in-process union of one source ("bulk") and its stream: a snapshot, then the deltas <see cref="Publish"/> sends.</summary>
    private sealed class Feed(int size) : IConfigBackend
    {
        private static readonly Guid Epoch = Guid.NewGuid();
        private readonly Service[] _initial = [.. Fixtures.Services("b", size).Select(s => s.WithSource("bulk"))];
        private Action<UnionDelta>? _onDelta;

        public long Version { get; private set; }

        public ClusterConnectionEvents? ConnectionEvents => null;

        public void Publish(Service service)
        {
            Version++;
            _onDelta!(new UnionDelta(new UnionVersion(Epoch, Version), new SourceDelta { Source = "bulk", UpsertedServices = [service] }));
        }

        public Task<UnionSnapshot> GetSnapshotAsync(ConfigKinds kinds, CancellationToken cancellationToken) =>
            Task.FromResult(new UnionSnapshot { Version = new UnionVersion(Epoch, Version), Services = _initial, Endpoints = [] });

        public Task<UnionVersion> GetVersionAsync(CancellationToken cancellationToken) => Task.FromResult(new UnionVersion(Epoch, Version));

        public Task<SourceDelta?> GetChangeAsync(UnionVersion version, ConfigKinds kinds, CancellationToken cancellationToken) =>
            Task.FromResult<SourceDelta?>(null);

        public Task<IAsyncDisposable> SubscribeAsync(Action<UnionDelta> onDelta, Action<Exception> onError, CancellationToken cancellationToken)
        {
            _onDelta = onDelta;
            return Task.FromResult<IAsyncDisposable>(new Unsubscribe());
        }

        public Task<ApplyResult> ApplyAsync(string source, SourceUpdate update, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the feed only publishes");

        private sealed class Unsubscribe : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
