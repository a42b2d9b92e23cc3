using OrleansConfig.Sources.Etcd;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Tests.Diagnostics;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>Runs etcd sources against the shared cluster for one test and reads back what they published.</summary>
internal sealed class EtcdSourceHarness(ClusterFixture cluster, ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<EtcdConfigSource> _sources = [];
    private readonly List<SourceMeters> _meters = [];

    // The sources run as a silo runs them, so they may report their errors (an inside door).
    public IGrainFactory Grains { get; } = cluster.SiloGrains;

    public string NewName() => cluster.NewPrefix() + "etcd";

    /// <summary>A source named <paramref name="name"/> reading <c>/{name}</c>, behind a store the test controls.</summary>
    public EtcdRunning NewSource(string name, string endpoints, Action<EtcdSourceOptions>? configure = null)
    {
        var options = new EtcdSourceOptions
        {
            Endpoints = endpoints,
            Prefix = "/" + name,
            Name = name,
            RetryInitialDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(400),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var store = new ControllableStore(EtcdClientStore.Create(options));
        var logger = new TestOutputLogger(output, $"{name}#{_sources.Count}");
        var meters = new SourceMeters();
        _meters.Add(meters);
        var source = new EtcdConfigSource(() => Grains.GetSource(name), store, options, TimeProvider.System, logger, meters.Factory);
        _sources.Add(source);
        return new EtcdRunning(source, meters, store, new EtcdValues(options.Prefix), name);
    }

    /// <summary>Starts a source and waits until etcd has established its watch.</summary>
    public async Task<EtcdRunning> Start(string name, string endpoints, Action<EtcdSourceOptions>? configure = null)
    {
        var running = NewSource(name, endpoints, configure);
        await running.Source.StartAsync(CancellationToken.None);
        await Eventually.Until(() => running.Meters.Watches > 0, timeout: Timeout, what: $"{name} to watch");
        return running;
    }

    /// <summary>The source's state as sorted "svc namespace/name:port" and "ep namespace/name=ips" lines.</summary>
    public async Task<string[]> State(string name)
    {
        var snapshot = await Grains.GetSource(name).GetSnapshot();
        return
        [
            .. snapshot.Services.Select(s => $"svc {s.Key()}:{(s.Spec.Ports is [var first, ..] ? first.Port : (int?)null)}")
                .Order(StringComparer.Ordinal),
            .. snapshot.Endpoints.Select(e => $"ep {e.Key()}={string.Join(',', e.Subsets.SelectMany(s => s.Addresses).Select(a => a.Ip))}")
                .Order(StringComparer.Ordinal),
        ];
    }

    public async Task StateBecomes(string name, params string[] expected)
    {
        string[] last = [];
        try
        {
            await Eventually.Get(async () => last = await State(name), s => s.SequenceEqual(expected), Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"timed out waiting for {name} to hold [{string.Join(", ", expected)}]; it holds [{string.Join(", ", last)}]");
        }
    }

    /// <summary>The union's items from this source, as sorted "svc namespace/name@source" and "ep ..." lines.</summary>
    public async Task<string[]> Union(string name)
    {
        var snapshot = await Grains.GetAggregator().GetSnapshot();
        return
        [
            .. snapshot.Services.Where(s => s.Source() == name).Select(s => "svc " + Items.Describe(s)).Order(StringComparer.Ordinal),
            .. snapshot.Endpoints.Where(e => e.Source() == name).Select(e => "ep " + Items.Describe(e)).Order(StringComparer.Ordinal),
        ];
    }

    public Task<SourceStatus> StatusBecomes(string name, Func<SourceStatus, bool> done, string what) =>
        Eventually.Get(() => Grains.GetSource(name).GetStatus(), done, Timeout, what);

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.StopAsync(CancellationToken.None);
            source.Dispose();
        }
        foreach (var meters in _meters) meters.Dispose();
    }
}
