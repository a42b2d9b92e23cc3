using System.Diagnostics;
using OrleansConfig.IntegrationTests.EndToEnd;
using Xunit.Abstractions;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>Clients given several gateways keep working when one of them dies (SIGKILL of its silo).</summary>
[Collection(MultiSiloCollection.Name)]
public sealed class GatewayFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly RedisServer _redis = new();
    private LoopbackCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _cluster = new LoopbackCluster(_redis, 3);
        await _cluster.StartAllAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_subscriber_and_a_cli_watch_whose_gateway_dies_fail_over_to_another_and_end_at_the_union()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cancel.Token;
        static bool Own(string source) => source == "f";

        // The aggregator's silo stays up: this is about gateways, not about the union's grain.
        await using var probe = await TestClient.ToGatewaysAsync(_cluster.ClusterId, [_cluster.Gateway(0)], ct);
        await probe.Client.GetSource("f").Apply(new ServiceUpdate(Operation.Add, [Service("s0", port: 1000)]));
        var aggregatorSilo =
            _cluster.IndexOf(await probe.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(probe.Client.GetAggregator())
            ?? throw new InvalidOperationException("the aggregator is not active"));
        // Nor does the source's (sources are placed at random): a write to a grain on a silo just killed fails until
        // the cluster declares the silo dead, which is not what this test is about.
        var sourceSilo =
            _cluster.IndexOf(await probe.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(probe.Client.GetSource("f"))
            ?? throw new InvalidOperationException("the source is not active"));
        var victim = Enumerable.Range(0, 3).First(i => i != aggregatorSilo && i != sourceSilo);
        var spare = Enumerable.Range(0, 3).First(i => i != aggregatorSilo && i != victim);
        var gateways = new[] { _cluster.Gateway(victim), _cluster.Gateway(spare) };

        await using var writer = await TestClient.ToGatewaysAsync(_cluster.ClusterId, [_cluster.Gateway(aggregatorSilo)], ct);
        await using var subscriberClient = await TestClient.ToGatewaysAsync(_cluster.ClusterId, gateways, ct);
        await using var subscriber = new ServiceConfig(subscriberClient.Client);
        var watcher = new UnionWatcher("subscriber", Own);
        subscriber.RegisterHandler(watcher.OnUpdate);
        var cliWatcher = new UnionWatcher("CLI watch", Own);
        using var watch =
            Cli.Start(["watch", "services", "-o", "json", "--cluster-id", _cluster.ClusterId, "--service-id", _cluster.ClusterId,
            "--gateway", gateways[0].ToString(), "--gateway", gateways[1].ToString()]);
        var following = cliWatcher.FollowAsync(watch, ct);
        string[] first = ["default/s0@f:1000"];
        await Eventually.Until(() =>
            watcher.Last.SequenceEqual(first) && cliWatcher.Last.SequenceEqual(first),
                timeout: Timeout, what: "both to see the first change");

        await _cluster.KillAsync(victim);
        var clock = Stopwatch.StartNew();
        await writer.Client.GetSource("f").Apply(new ServiceUpdate(Operation.Add, [Service("s1", port: 1001)]));
        string[] second = ["default/s0@f:1000", "default/s1@f:1001"];
        await Eventually.Until(() =>
            watcher.Last.SequenceEqual(second), timeout: Timeout, what:
            $"the subscriber to see a change made after its gateway died; it has " +
            $"[{string.Join(", ", watcher.Last)}]\n{subscriberClient.Log}");
        var subscriberAt = clock.Elapsed;
        await Eventually.Until(() =>
            cliWatcher.Last.SequenceEqual(second),
                timeout: Timeout, what: $"the CLI watch to see a change made after its gateway died\n{watch.Stderr}");
        var cliAt = clock.Elapsed;

        for (var i = 2; i < 22; i++) await writer.Client.GetSource("f")
            .Apply(new ServiceUpdate(Operation.Add, [Service($"s{i}", port: 1000 + i)]));
        var final = Enumerable.Range(0, 22).Select(i => $"default/s{i}@f:{1000 + i}").Order(StringComparer.Ordinal).ToArray();
        await Eventually.Until(() =>
            watcher.Last.SequenceEqual(final) && cliWatcher.Last.SequenceEqual(final),
                timeout: Timeout, what: "both to reach the final union");

        // A one-off command given the dead gateway first still answers, from the other one.
        var get = await Cli.RunAsync(
            ["get", "services", "-o", "json", "--cluster-id", _cluster.ClusterId, "--service-id", _cluster.ClusterId,
            "--gateway", gateways[0].ToString(), "--gateway", gateways[1].ToString()]);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(final.Select(f => "Service " + f[..f.LastIndexOf(':')]), ListJson.Items(get.Stdout));

        output.WriteLine(
            $"gateway of silo {victim} killed; the subscriber saw the next change after {subscriberAt.TotalSeconds:0.00} s, the CLI " +
            $"watch after {cliAt.TotalSeconds:0.00} s; a one-off get with the dead gateway first took {get.Elapsed.TotalSeconds:0.00} s");
        watch.Terminate();
        await watch.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await following.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
    }
}
