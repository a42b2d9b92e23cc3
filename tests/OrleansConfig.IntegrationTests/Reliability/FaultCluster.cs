using System.Diagnostics;
using System.Net;
using Orleans.Runtime.Placement;
using OrleansConfig.IntegrationTests.Cluster;
using OrleansConfig.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Reliability;

// Separate harness on LoopbackCluster: it adds what only fault tests need (gateway proxies, writers, the model of the union).
/// <summary>
/// What a fault test runs on: a real Redis and three silo processes on loopback (Redis clustering and storage, failure
/// detection tuned to seconds), the clients, subscribers and writers the test makes, and a <see cref="UnionModel"/> of
/// every change the cluster accepted. Disposing stops the clients, then kills every silo and Redis, whatever happened.
/// Every line a test reports goes to its output; with <c>OC_FAULT_TRACE=FILE</c> also to FILE as it happens.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    public const int Silos = 3;

    /// <summary>How long subscribers get to reach the exact union once the writers have stopped.</summary>
    public static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a step of a test (a silo declared dead, a source back, writers past a mark) may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(40);

    private readonly ITestOutputHelper _output;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Lock _modelLock = new();
    private readonly UnionModel _model = new();
    private readonly Dictionary<int, CuttableProxy> _proxies = [];

    private readonly FaultTls? _tls;

    private FaultCluster(ITestOutputHelper output, RedisServer redis, LoopbackCluster cluster, FaultTls? tls)
    {
        _output = output;
        Redis = redis;
        Cluster = cluster;
        _tls = tls;
    }

    public RedisServer Redis { get; }

    public LoopbackCluster Cluster { get; }

    /// <summary>The test's clock: every time a test reports is read from it.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>A cluster not started yet: put proxies in front of gateways (<see cref="ProxyGateway"/>), then
    /// <see cref="StartAsync"/>.</summary>
    /// <param name="tls">
    /// Mutual TLS with authorization: the clients of <see cref="ClientAsync"/> (writers, subscribers) are a writer of every
    /// source, the one of <see cref="ClientThroughRedisAsync"/> (the observer, which places grains) an admin.
    /// </param>
    public static FaultCluster Create(ITestOutputHelper output, bool tls = false)
    {
        var redis = new RedisServer();
        var certificates = tls ? new FaultTls() : null;
        return new FaultCluster(output, redis, new LoopbackCluster(redis, Silos, certificates?.SiloArgs), certificates);
    }

    public async Task StartAsync()
    {
        await Redis.InitializeAsync();
        await Cluster.StartAllAsync();
        Report($"three silos up in {Clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Puts a <see cref="CuttableProxy"/> in front of silo <paramref name="silo"/>'s gateway (before the silo starts): the silo
    /// listens where it would have, but gives the proxy's port as its gateway, so every client of that gateway goes through
    /// the proxy. (A client must connect to the address the gateway gives as its own: Orleans sends the calls a client makes
    /// to the gateway itself, such as the cluster manifest, to that address.)
    /// </summary>
    public CuttableProxy ProxyGateway(int silo)
    {
        var proxy = Own(new CuttableProxy(Cluster.Gateway(silo)));
        Cluster.AddSiloArgs(silo, $"--Orleans:Endpoints:GatewayPort={proxy.Endpoint.Port}",
            $"--Orleans:Endpoints:GatewayListeningEndpoint={Cluster.Gateway(silo)}");
        _proxies[silo] = proxy;
        return proxy;
    }

    /// <summary>The proxy <see cref="ProxyGateway"/> put in front of silo <paramref name="silo"/>'s gateway.</summary>
    public CuttableProxy ProxyOf(int silo) => _proxies[silo];

    /// <summary>Where clients reach silo <paramref name="silo"/>'s gateway: its proxy, if it has one.</summary>
    public IPEndPoint Gateway(int silo) => _proxies.TryGetValue(silo, out var proxy) ? proxy.Endpoint : Cluster.Gateway(silo);

    /// <summary>A client that knows only <paramref name="gateways"/>; disposed with the cluster.</summary>
    public async Task<TestClient> ClientAsync(params IPEndPoint[] gateways)
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        var client = await TestClient.ToGatewaysAsync(Cluster.ClusterId, gateways, timeout.Token, _tls?.As(_tls.Writer));
        Own(client);
        return client;
    }

    /// <summary>A client that finds the live gateways in Redis, as the CLI's <c>--redis</c> does; disposed with the cluster.</summary>
    public async Task<TestClient> ClientThroughRedisAsync()
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        var client = await TestClient.ThroughRedisAsync(Cluster.ClusterId, Redis.ConnectionString, timeout.Token, _tls?.As(_tls.Admin));
        Own(client);
        return client;
    }

    /// <summary>A ServiceConfig and an EndpointsConfig on <paramref name="client"/>, following the union until disposed.</summary>
    public Subscriber Subscribe(string name, TestClient client)
    {
        var subscriber = new Subscriber(name, client);
        Own(subscriber);
        return subscriber;
    }

    public ModelWriter Writer(TestClient client, string source, int seed, bool sets = true) => new(this, client, source, seed, sets);

    /// <summary>Takes an accepted change into the model (writers call it once their Apply is accepted).</summary>
    public void Record(ModelOperation step)
    {
        var contents =
            step.Items.Select(i => (new ObjectKey(i.Namespace, i.Name), step.Endpoints ? $"10.0.0.{i.Variant}" : $"{8000 + i.Variant}"));
        lock (_modelLock) _model.Apply(step.Source, step.Endpoints, step.Op, contents);
    }

    /// <summary>The union of everything accepted so far, as <see cref="Describe"/> strings in the handlers' order.</summary>
    public string[] Expected(bool endpoints)
    {
        lock (_modelLock) return _model.Union(endpoints, _ => true);
    }

    /// <summary>How tests compare items: key, source and content, so a lost change of a value shows too.</summary>
    public static string Describe(IConfigItem item) => $"{item.Key()}@{item.Source()}={ModelOperation.Content(item)}";

    /// <summary><paramref name="items"/> as <see cref="Describe"/> strings in the order handlers get them (namespace,
    /// name, source).</summary>
    public static string[] InHandlerOrder(IEnumerable<IConfigItem> items) =>
        [.. items.OrderBy(i => i.Metadata.Namespace, StringComparer.Ordinal).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
            .ThenBy(i => i.Source(), StringComparer.Ordinal).Select(Describe)];

    /// <summary>
    /// Which silo (by index) runs <paramref name="grain"/>'s activation, asked through <paramref name="client"/>; null when none
    /// does. Asks every silo's catalog: the directory lookup behind <c>GetActivationAddress</c> may answer from a cache.
    /// </summary>
    public async Task<int?> SiloOf(IClusterClient client, IAddressable grain)
    {
        var id = grain.GetGrainId();
        var activations =
            await AnswerAsync(() => client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(), "the silos' activations");
        return activations.FirstOrDefault(a => a.GrainId == id) is { } activation ? Cluster.IndexOf(activation.SiloAddress) : null;
    }

    /// <summary>
    /// Activates <paramref name="grain"/> on silo <paramref name="silo"/> by making <paramref name="call"/> with Orleans' placement
    /// hint (every built-in placement director honours it), so a test decides which silo hosts what; fails if it lands elsewhere.
    /// </summary>
    public async Task PlaceAsync(IClusterClient client, int silo, IAddressable grain, Func<Task> call)
    {
        var hosts = await AnswerAsync(() => client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), "the cluster's silos");
        var address = hosts.Keys.Single(h => h.Endpoint.Port == Cluster.SiloPort(silo));
        await AnswerAsync(async () =>
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, address);
            try
            {
                await call();
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
            return true;
        }, $"{grain} to activate on silo {silo}");
        Assert.Equal(silo, await SiloOf(client, grain));
    }

    /// <summary>
    /// Waits until every subscriber's handlers were last told exactly the model's union, and checks that the
    /// aggregator holds it too. Returns when (on <see cref="Clock"/>) each subscriber got there; fails the test, with
    /// the difference and the logs, when one does not within <see cref="ConvergeTimeout"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string,
        TimeSpan>> ConvergeAsync(IReadOnlyCollection<Subscriber> subscribers, IClusterClient observer)
    {
        var services = Expected(endpoints: false);
        var endpoints = Expected(endpoints: true);
        Assert.NotEmpty(services);
        Assert.NotEmpty(endpoints);
        var reached = await Task.WhenAll(subscribers.Select(async subscriber =>
        {
            var deadline = Clock.Elapsed + ConvergeTimeout;
            while (!(subscriber.Services.SequenceEqual(services) && subscriber.Endpoints.SequenceEqual(endpoints)))
            {
                if (Clock.Elapsed > deadline)
                {
                    Assert.Fail($"{subscriber.Name} did not reach the exact union within {ConvergeTimeout}:\n" +
                                $"services: {Difference(services, subscriber.Services)}\nendpoints: " +
                                    $"{Difference(endpoints, subscriber.Endpoints)}\n" +
                                $"--- its log ---\n{subscriber.Client.Log}\n{Cluster.Describe()}");
                }
                await Task.Delay(25);
            }
            return (subscriber.Name, At: Clock.Elapsed);
        }));

        var snapshot = await AnswerAsync(() => observer.GetAggregator().GetSnapshot(), "the aggregator's snapshot");
        Assert.Equal(services, InHandlerOrder(snapshot.Services));
        Assert.Equal(endpoints, InHandlerOrder(snapshot.Endpoints));
        return reached.ToDictionary(r => r.Name, r => r.At);
    }

    /// <summary>Waits for <paramref name="condition"/> up to <see cref="StepTimeout"/>; fails the test naming
    /// <paramref name="what"/>, with <paramref name="state"/> and the silos' output.</summary>
    public async Task UntilAsync(Func<bool> condition, string what, Func<string>? state = null)
    {
        var deadline = Clock.Elapsed + StepTimeout;
        while (!condition())
        {
            if (Clock.Elapsed > deadline)
            {
                Assert.Fail($"timed out after {StepTimeout} waiting for {what}\n{state?.Invoke()}\n{Cluster.Describe()}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Calls <paramref name="probe"/> until its answer is <paramref name="done"/>, up to <see cref="StepTimeout"/>.</summary>
    public async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = Clock.Elapsed + StepTimeout;
        while (true)
        {
            var answer = await probe();
            if (done(answer)) return answer;
            if (Clock.Elapsed > deadline)
            {
                Assert.Fail($"timed out after {StepTimeout} waiting for {what}; last answer: {answer}\n{Cluster.Describe()}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Calls <paramref name="call"/> until it answers (a client may still be failing over), up to
    /// <see cref="StepTimeout"/>.</summary>
    public async Task<T> AnswerAsync<T>(Func<Task<T>> call, string what)
    {
        var deadline = Clock.Elapsed + StepTimeout;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is not OperationCanceledException && Clock.Elapsed < deadline)
            {
                await Task.Delay(100);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new TimeoutException($"no answer within {StepTimeout} to {what}", ex);
            }
        }
    }

    /// <summary>A line in the test's output (and so in the figures a run reports).</summary>
    public void Report(string line)
    {
        _output.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:0.00} s] {line}");
        if (Environment.GetEnvironmentVariable("OC_FAULT_TRACE") is { Length: > 0 } trace)
        {
            File.AppendAllText(trace, $"[{Clock.Elapsed.TotalSeconds,6:0.00} s] {line}\n");
        }
    }

    public static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.00} s";

    public static string Difference(string[] expected, string[] actual)
    {
        var missing = expected.Except(actual).ToArray();
        var extra = actual.Except(expected).ToArray();
        return $"{actual.Length} items (expected {expected.Length}); missing {missing.Length}: {string.Join(", ", missing.Take(20))}; " +
               $"unexpected {extra.Length}: {string.Join(", ", extra.Take(20))}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Clients first (newest first), while the silos still answer.
            for (var i = _owned.Count - 1; i >= 0; i--)
            {
                try
                {
                    await _owned[i].DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A client that cannot say goodbye to a dead cluster is left behind.
                }
            }
        }
        finally
        {
            // Then the processes, whatever happened.
            await Cluster.DisposeAsync();
            await Redis.DisposeAsync();
            _tls?.Dispose();
        }
    }

    /// <summary>Disposes <paramref name="disposable"/> with the cluster, before everything owned earlier and after
    /// everything owned later.</summary>
    public T Own<T>(T disposable) where T : IAsyncDisposable
    {
        lock (_owned) _owned.Add(disposable);
        return disposable;
    }
}

/// <summary>The certificates of a TLS fault cluster: the silos', a writer of every source, and an admin.</summary>
internal sealed class FaultTls : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oc-fault-tls-").FullName;

    public FaultTls()
    {
        using var pki = new TestPki(_directory, "fault-ca");
        CaFile = pki.CaFile;
        var silo = pki.Issue("fault-silo", [TestPki.ServerAuth, TestPki.ClientAuth], loopbackNames: true);
        Writer = pki.Issue("fault-writer", [TestPki.ClientAuth]);
        Admin = pki.Issue("fault-admin", [TestPki.ClientAuth]);
        SiloArgs =
        [
            $"--OrleansConfig:Tls:CertificatePath={silo.CertFile}",
            $"--OrleansConfig:Tls:KeyPath={silo.KeyFile}",
            $"--OrleansConfig:Tls:CaPath={CaFile}",
            "--OrleansConfig:Authorization:Writers:*=fault-writer",
            "--OrleansConfig:Authorization:Admins=fault-admin",
        ];
    }

    public string CaFile { get; }
    public TestPki.Issued Writer { get; }
    public TestPki.Issued Admin { get; }
    public IReadOnlyList<string> SiloArgs { get; }

    public Action<OrleansConfigClientOptions> As(TestPki.Issued who) => o =>
    {
        o.TlsCertificatePath = who.CertFile;
        o.TlsKeyPath = who.KeyFile;
        o.TlsCaPath = CaFile;
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
