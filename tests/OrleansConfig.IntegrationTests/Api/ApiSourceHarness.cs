using OrleansConfig.Sources.Api;
using OrleansConfig.IntegrationTests.Etcd;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Tests.Diagnostics;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>Runs API sources (the KubernetesClient watchers) against the shared cluster for one test, and reads back
/// what they published.</summary>
internal sealed class ApiSourceHarness(ClusterFixture cluster, ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly List<(ApiConfigSource Source, KubernetesApiWatcher Watcher, SourceMeters Meters)> _running = [];

    // The sources run as a silo runs them, so they may report their errors (an inside door).
    public IGrainFactory Grains { get; } = cluster.SiloGrains;

    public string NewName() => cluster.NewPrefix() + "api";

    /// <summary>What the sources' KubernetesClient watchers logged (the server's warnings).</summary>
    public CapturingLoggerFactory WatcherLogs { get; } = new();

    public async Task<ApiConfigSource> Start(string name, FakeApiServer server, Action<ApiSourceOptions>? configure = null)
    {
        var options = new ApiSourceOptions
        {
            Server = server.Url,
            Name = name,
            RetryInitialDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(400),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var watcher = KubernetesApiWatcher.Create(options, WatcherLogs);
        var meters = new SourceMeters();
        var source = new ApiConfigSource(
            () => Grains.GetSource(name), watcher, watcher, options, TimeProvider.System, new TestOutputLogger(output, name), meters.Factory,
            watcher);
        _running.Add((source, watcher, meters));
        await source.StartAsync(CancellationToken.None);
        return source;
    }

    /// <summary>What <paramref name="source"/>, started here, recorded on its meters.</summary>
    public SourceMeters Meters(ApiConfigSource source) => _running.Single(r => r.Source == source).Meters;

    /// <summary>The source's whole state, exactly: every item with every field (tagged with the source).</summary>
    public async Task<Manifest> State(string name)
    {
        var snapshot = await Grains.GetSource(name).GetSnapshot();
        return new Manifest([.. snapshot.Services.OrderBy(s => s.Key())], [.. snapshot.Endpoints.OrderBy(e => e.Key())]);
    }

    /// <summary>The union's items from this source, exactly.</summary>
    public async Task<Manifest> Union(string name)
    {
        var snapshot = await Grains.GetAggregator().GetSnapshot();
        return new Manifest(
            [.. snapshot.Services.Where(s => s.Source() == name).OrderBy(s => s.Key())],
            [.. snapshot.Endpoints.Where(e => e.Source() == name).OrderBy(e => e.Key())]);
    }

    /// <summary>What the server holds (in <paramref name="namespaces"/> alone, when given; its slices merged, with
    /// <paramref name="slices"/>), as the source's items would be tagged.</summary>
    public static Manifest Expected(FakeApiServer server, string name, string[]? namespaces = null, bool slices = false)
    {
        var held = ApiSamples.Held(server, slices);
        bool In(ObjectKey key) => namespaces is null || namespaces.Contains(key.Namespace);
        return new Manifest(
            [.. held.Services.Where(s => In(s.Key())).Select(s => s.WithSource(name))],
            [.. held.Endpoints.Where(e => In(e.Key())).Select(e => e.WithSource(name))]);
    }

    /// <summary>Waits until both the source's state and the union hold exactly what the server holds (in
    /// <paramref name="namespaces"/> alone, when given; its slices merged, with <paramref name="slices"/>).</summary>
    public async Task Reflects(string name, FakeApiServer server, string when, string[]? namespaces = null, bool slices = false)
    {
        var expected = Expected(server, name, namespaces, slices);
        Manifest last = Manifest.Empty;
        try
        {
            await Eventually.Get(async () => last = await State(name), s => s.Equals(expected), Timeout);
            await Eventually.Get(async () => last = await Union(name), u => u.Equals(expected), Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{when}: timed out waiting for {name} to hold exactly\n{expected.ToJson()}\nit holds\n{last.ToJson()}");
        }
    }

    public Task<SourceStatus> StatusBecomes(string name, Func<SourceStatus, bool> done, string what) =>
        Eventually.Get(() => Grains.GetSource(name).GetStatus(), done, Timeout, what);

    public async ValueTask DisposeAsync()
    {
        foreach (var (source, watcher, meters) in _running)
        {
            await source.StopAsync(CancellationToken.None);
            source.Dispose();
            watcher.Dispose();
            meters.Dispose();
        }
        WatcherLogs.Dispose();
    }
}
