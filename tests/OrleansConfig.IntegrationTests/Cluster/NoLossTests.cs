using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Etcd;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// Three silo processes on Redis clustering and Redis storage, writers on different gateways, subscribers on
/// different gateways (and a CLI <c>watch</c>), and the silo that hosts the aggregator killed with SIGKILL in the
/// middle of the changes: no accepted change is lost and every subscriber ends at exactly the final union.
/// </summary>
[Collection(MultiSiloCollection.Name)]
public sealed class NoLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Silos = 3;
    private const string EtcdSource = "etcd";
    private const string EtcdPrefix = "/registry/services";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(60);

    private readonly RedisServer _redis = new();
    private readonly EtcdServer _etcd = new();
    private LoopbackCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_redis.InitializeAsync(), _etcd.InitializeAsync());
        // Every silo runs the etcd source; the survivors keep it running when one dies.
        _cluster =
            new LoopbackCluster(_redis, Silos,
            [$"--Sources:Etcd:Endpoints={_etcd.Endpoint}", $"--Sources:Etcd:Name={EtcdSource}", $"--Sources:Etcd:Prefix={EtcdPrefix}"]);
        await _cluster.StartAllAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await Task.WhenAll(_redis.DisposeAsync(), _etcd.DisposeAsync());
    }

    [Fact]
    public async Task Sigkill_of_the_aggregators_silo_mid_stream_loses_no_accepted_change_and_every_subscriber_ends_at_the_final_union()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        var plan = new ChangePlan(writers: Silos, total: 5000, keysPerWriter: 50);
        var expected = plan.FinalUnion();
        static bool Own(string source) => source.StartsWith('w') || source == EtcdSource;

        // Writers and subscribers: one of each per gateway, one more subscriber through Redis, and a CLI watch through Redis.
        var writers = new TestClient[Silos];
        var subscribers = new List<(TestClient Client, ServiceConfig Config, UnionWatcher Watcher)>();
        ChildProcess? watch = null;
        try
        {
            for (var i = 0; i < Silos; i++)
            {
                writers[i] = await TestClient.ToGatewaysAsync(_cluster.ClusterId, [_cluster.Gateway(i)], ct);
                var client = await TestClient.ToGatewaysAsync(_cluster.ClusterId, [_cluster.Gateway(i)], ct);
                subscribers.Add(Subscribe(client, $"subscriber on gateway {i}"));
            }
            var viaRedis = await TestClient.ThroughRedisAsync(_cluster.ClusterId, _redis.ConnectionString, ct);
            subscribers.Add(Subscribe(viaRedis, "subscriber through Redis"));
            var cliWatcher = new UnionWatcher("CLI watch through Redis", Own);
            watch = Cli.Start(
                ["watch", "services", "-o", "json", "--redis", _redis.ConnectionString, "--cluster-id", _cluster.ClusterId, "--service-id",
                _cluster.ClusterId]);
            var following = cliWatcher.FollowAsync(watch, ct);
            await Task.WhenAll(subscribers.Select(s => s.Config.WaitForSyncAsync(ct)));

            // etcd: some keys before the kill; more after it, served by the survivors' etcd sources.
            var etcdKeys = new EtcdValues(EtcdPrefix);
            for (var i = 0; i < 5; i++) await _etcd.PutAsync(etcdKeys.ServiceKey("default", $"e{i}"),
                EtcdValues.Service($"e{i}", "default", port: 2000 + i));

            var progress = new Progress(plan.Total);
            var clock = Stopwatch.StartNew();
            var writing = Task.WhenAll(Enumerable.Range(0, Silos).Select(w => WriteAsync(writers[w].Client, w, plan, progress, clock, ct)));

            // Mid-stream: find the aggregator's silo and kill it.
            await Eventually.Until(() =>
                progress.Accepted >= plan.Total * 2 / 5 || writing.IsCompleted,
                    timeout: ConvergeTimeout, what: "writers to reach 40% of the changes");
            var management = viaRedis.Client.GetGrain<IManagementGrain>(0);
            var aggregatorAt = await management.GetActivationAddress(viaRedis.Client.GetAggregator())
                ?? throw new InvalidOperationException("the aggregator is not active anywhere");
            var epochBefore = (await viaRedis.Client.GetAggregator().GetVersion()).Epoch;
            var victim = _cluster.IndexOf(aggregatorAt);
            var acceptedAtKill = progress.Accepted;
            await _cluster.KillAsync(victim);
            var killedAt = clock.Elapsed;
            var resyncedAt = new ConcurrentDictionary<string, TimeSpan>();
            var epochWatch = Task.WhenAll(subscribers.Select(s => Task.Run(async () =>
            {
                await Eventually.Until(() =>
                    s.Config.Version.Epoch != epochBefore, timeout: ConvergeTimeout, what: $"{s.Watcher.Name} to follow the new epoch");
                resyncedAt[s.Watcher.Name] = clock.Elapsed;
            }, ct)));
            output.WriteLine(
                $"killed silo {victim} (it hosted the aggregator) after {acceptedAtKill} of {plan.Total} changes, at " +
                $"{killedAt.TotalSeconds:0.0} s");

            for (var i = 5; i < 10; i++) await _etcd.PutAsync(etcdKeys.ServiceKey("default", $"e{i}"),
                EtcdValues.Service($"e{i}", "default", port: 2000 + i));

            // The survivors declare it dead, the aggregator comes back under a new epoch, and the silo restarts and rejoins.
            var survivor = Enumerable.Range(0, Silos).First(i => i != victim);
            await using var observer = await TestClient.ToGatewaysAsync(_cluster.ClusterId, [_cluster.Gateway(survivor)], ct);
            var observerManagement = observer.Client.GetGrain<IManagementGrain>(0);
            await Eventually.Get(() => ActivePorts(observerManagement), ports =>
                !ports.Contains(_cluster.SiloPort(victim)), ConvergeTimeout, "the survivors to declare the killed silo dead");
            var declaredDeadAt = clock.Elapsed;
            await Eventually.Get(() => Epoch(observer.Client), e =>
                e is { } epoch && epoch != epochBefore, ConvergeTimeout, "the aggregator to come back under a new epoch");
            var newEpochAt = clock.Elapsed;
            await _cluster.StartAsync(victim);
            await Eventually.Get(() => ActivePorts(observerManagement), ports =>
                ports.Contains(_cluster.SiloPort(victim)), ConvergeTimeout, "the restarted silo to rejoin");
            var rejoinedAt = clock.Elapsed;

            await writing;
            var writesDoneAt = clock.Elapsed;
            await epochWatch;
            expected = [.. expected, .. Enumerable.Range(0, 10).Select(i => $"default/e{i}@{EtcdSource}:{2000 + i}")];
            expected = [.. expected.Order(StringComparer.Ordinal)];

            // Every subscriber, and the union itself, ends at exactly the final union.
            List<UnionWatcher> all = [.. subscribers.Select(s => s.Watcher), cliWatcher];
            var convergedAt = new ConcurrentDictionary<string, TimeSpan>();
            await Task.WhenAll(all.Select(async w =>
            {
                try
                {
                    await Eventually.Until(() => w.Last.SequenceEqual(expected), timeout: ConvergeTimeout, what: w.Name);
                }
                catch (TimeoutException)
                {
                    var log = subscribers.FirstOrDefault(s => s.Watcher == w).Client?.Log ?? watch.Stderr;
                    Assert.Fail(
                        $"{w.Name} did not reach the final union within {ConvergeTimeout}:\n{Difference(expected, w.Last)}\n--- its " +
                        $"log ---\n{log}\n{_cluster.Describe()}");
                }
                convergedAt[w.Name] = clock.Elapsed;
            }));
            var union =
                (await observer.Client.GetAggregator().GetSnapshot()).Services.Where(s => Own(s.Source())).Select(ChangePlan.Identity)
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, union);
            Assert.Equal(plan.Total, progress.Accepted);

            output.WriteLine(
                $"{plan.Total} changes through {Silos} gateways in {writesDoneAt.TotalSeconds:0.0} s; {progress.Retries} retries");
            output.WriteLine(
                $"declared dead {(declaredDeadAt - killedAt).TotalSeconds:0.0} s after the kill; aggregator under a new epoch after " +
                $"{(newEpochAt - killedAt).TotalSeconds:0.0} s; restarted silo rejoined after " +
                $"{(rejoinedAt - killedAt).TotalSeconds:0.0} s");
            for (var w = 0; w < Silos; w++)
            {
                output.WriteLine(
                    $"writer {w} (gateway {w}{(w == victim ? ", killed" : "")}): longest wait between accepted changes " +
                    $"{progress.LongestStall(w).TotalSeconds:0.00} s");
            }
            foreach (var (name, at) in resyncedAt.OrderBy(kv => kv.Value))
            {
                output.WriteLine($"{name}: following the new aggregator epoch {(at - killedAt).TotalSeconds:0.0} s after the kill");
            }
            foreach (var (name, at) in convergedAt.OrderBy(kv => kv.Value))
            {
                output.WriteLine($"{name}: at the final union {(at - writesDoneAt).TotalSeconds:0.00} s after the last write");
            }
            // OC_TEST_LOGS=DIR keeps every subscriber's log and the silos' whole output there, to study a run that passed.
            if (Environment.GetEnvironmentVariable("OC_TEST_LOGS") is { Length: > 0 } logDirectory)
            {
                foreach (var (client, _, watcher) in subscribers)
                {
                    File.WriteAllText(Path.Combine(logDirectory, watcher.Name.Replace(' ', '-') + ".log"), client.Log);
                }
                File.WriteAllText(Path.Combine(logDirectory, "silos.log"), _cluster.Describe(100_000));
            }
            watch.Terminate();
            await watch.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await following.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        finally
        {
            watch?.Dispose();
            foreach (var (client, config, _) in subscribers)
            {
                await config.DisposeAsync();
                await client.DisposeAsync();
            }
            foreach (var writer in writers.Where(w => w is not null)) await writer.DisposeAsync();
        }

        (TestClient, ServiceConfig, UnionWatcher) Subscribe(TestClient client, string name)
        {
            var config = new ServiceConfig(client.Client);
            var watcher = new UnionWatcher(name, Own);
            config.RegisterHandler(watcher.OnUpdate);
            return (client, config, watcher);
        }
    }

    /// <summary>Sends a writer's steps in order, each until it is accepted; a rejection fails the test.</summary>
    private static async Task WriteAsync(IClusterClient client, int writer, ChangePlan plan, Progress progress, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var grain = client.GetSource(ChangePlan.SourceOf(writer));
        var last = clock.Elapsed;
        for (var step = 0; step < plan.StepsOf(writer); step++)
        {
            var update = plan.Step(step);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ApplyResult result;
                try
                {
                    result = await grain.Apply(update);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The gateway or the grain's silo went away: whether it landed is unknown, and sending it again is safe.
                    progress.Retry();
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                    continue;
                }
                Assert.True(result.Accepted, $"writer {writer} step {step} was rejected: {string.Join("; ", result.Errors)}");
                var now = clock.Elapsed;
                progress.Accept(writer, now - last);
                last = now;
                break;
            }
        }
    }

    private static async Task<HashSet<int>> ActivePorts(IManagementGrain management)
    {
        try
        {
            return [.. (await management.GetHosts(onlyActive: true)).Keys.Select(s => s.Endpoint.Port)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [];
        }
    }

    private static async Task<Guid?> Epoch(IClusterClient client)
    {
        try
        {
            return (await client.GetAggregator().GetVersion()).Epoch;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string Difference(string[] expected, string[] actual)
    {
        var missing = expected.Except(actual).ToArray();
        var extra = actual.Except(expected).ToArray();
        return $"{actual.Length} items (expected {expected.Length}); missing {missing.Length}: {string.Join(", ", missing.Take(20))}; " +
            $"unexpected {extra.Length}: {string.Join(", ", extra.Take(20))}";
    }

    private sealed class Progress(int total)
    {
        private readonly ConcurrentDictionary<int, TimeSpan> _stalls = new();
        private int _accepted;
        private int _retries;

        public int Total { get; } = total;

        public int Accepted => Volatile.Read(ref _accepted);

        public int Retries => Volatile.Read(ref _retries);

        public void Accept(int writer, TimeSpan waited)
        {
            Interlocked.Increment(ref _accepted);
            _stalls.AddOrUpdate(writer, waited, (_, longest) => waited > longest ? waited : longest);
        }

        public void Retry() => Interlocked.Increment(ref _retries);

        public TimeSpan LongestStall(int writer) => _stalls.GetValueOrDefault(writer);
    }
}
