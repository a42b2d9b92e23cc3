using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;
using Orleans.Streams.Core;
using Orleans.Streams.PubSub;
using OrleansConfig.IntegrationTests.EndToEnd;
using StackExchange.Redis;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// Watchers that go away: <c>watch</c> stopped by SIGTERM unsubscribes before it exits; <c>watch</c> processes killed
/// with SIGKILL lose their subscriptions once the gateway drops them (the silo's <c>ClientDropTimeout</c>, 5 s, and
/// the gateway's sweep of that period), in the pub-sub state and in Redis, and later changes reach no dead client.
/// </summary>
[Collection(MultiSiloCollection.Name)]
public sealed class DeadWatcherTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The bound the README states: twice the silo's ClientDropTimeout (5 s), and a few seconds for a busy machine.</summary>
    private static readonly TimeSpan RemovalBound = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly RedisServer _redis = new();
    private SiloProcess? _silo;
    private TestClient? _client;

    private SiloProcess Silo => _silo!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _silo = new SiloProcess
        {
            ExtraArgs =
            [
                "--Orleans:GrainStorage:PubSubStore:ProviderType=Redis",
                $"--Orleans:GrainStorage:PubSubStore:ConnectionString={_redis.ConnectionString}",
            ],
        };
        await _silo.InitializeAsync();
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _client = await TestClient.ToGatewaysAsync("orleans-config", [IPEndPoint.Parse(Silo.Gateway)], connect.Token);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Watch_stopped_by_sigterm_unsubscribes_before_it_exits()
    {
        var before = await ClientSubscriptions();
        using var watch = Silo.StartCli("watch", "services", "-o", "json");
        await watch.ReadLineUntilAsync(line => line.StartsWith('{'), StartTimeout);
        Assert.Equal(before.Count + 1, (await ClientSubscriptions()).Count);

        var clock = Stopwatch.StartNew();
        watch.Terminate();
        Assert.True(await watch.WaitForExitAsync(TimeSpan.FromSeconds(10)), watch.Describe());
        var exited = clock.Elapsed;
        Assert.Equal(143, watch.ExitCode);

        // Gone at once: the gateway would drop a silent client only after ClientDropTimeout (5 s).
        Assert.Equal(before.Count, (await ClientSubscriptions()).Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the subscription was checked {clock.Elapsed} after SIGTERM");
        output.WriteLine($"watch exited {exited.TotalSeconds:0.00} s after SIGTERM, its subscription already gone");
    }

    [Fact]
    public async Task Twenty_watchers_killed_with_sigkill_leave_no_subscription_and_no_delivery_failure()
    {
        var before = await ClientSubscriptions();
        using var survivor = Silo.StartCli("watch", "services", "-o", "json");
        await survivor.ReadLineUntilAsync(line => line.StartsWith('{'), StartTimeout);

        List<ChildProcess> watchers = [];
        try
        {
            // Five at a time: twenty .NET processes starting at once on two cores would miss the CLI's connect budget.
            for (var batch = 0; batch < 4; batch++)
            {
                var started = Enumerable.Range(0, 5).Select(_ => Silo.StartCli("watch", "services", "-o", "json")).ToList();
                watchers.AddRange(started);
                await Task.WhenAll(started.Select(w => w.ReadLineUntilAsync(line => line.StartsWith('{'), StartTimeout)));
            }
            var subscribed =
                await Eventually.Get(ClientSubscriptions, s =>
                s.Count == before.Count + 21, TimeSpan.FromSeconds(30), "21 watchers' subscriptions");
            var survivorAndDead = subscribed.Where(s => !before.Any(b => b.SubscriptionId == s.SubscriptionId)).ToList();
            var stored = await StoredPubSub();
            Assert.All(survivorAndDead, s => Assert.Contains(s.GrainId.Key.ToString(), stored));

            var clock = Stopwatch.StartNew();
            foreach (var watcher in watchers) watcher.Dispose(); // SIGKILL, the whole process tree
            var remaining =
                await Eventually.Get(ClientSubscriptions, s =>
                s.Count == before.Count + 1, RemovalBound, "the killed watchers' subscriptions to be removed");
            var removedAfter = clock.Elapsed;
            var dead = survivorAndDead.Where(s => !remaining.Any(r => r.SubscriptionId == s.SubscriptionId)).ToList();
            Assert.Equal(20, dead.Count);

            stored = await Eventually.Get(StoredPubSub, text =>
                dead.All(s => !text.Contains(s.GrainId.Key.ToString(), StringComparison.Ordinal)), TimeSpan.FromSeconds(5),
                "Redis to hold none of them");
            var storedAfter = clock.Elapsed;
            Assert.True(storedAfter < RemovalBound, $"Redis still held them {storedAfter} after SIGKILL");

            // The next 100 changes reach the survivor, and no dead client.
            var writer = _client!.Client.GetSource("dead-watchers");
            for (var i = 0; i < 100; i++) await writer.Apply(new ServiceUpdate(Operation.Add, [Service($"after-{i}", port: 1000 + i)]));
            await survivor.ReadLineUntilAsync(line => line.Contains("\"after-99\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            var log = Silo.Output;
            foreach (
                var failure in (string[])["ClientNotAvailableException", "No activation for client", "Failed to deliver",
                "is no longer active"])
            {
                Assert.False(log.Contains(failure, StringComparison.Ordinal), $"the silo logged \"{failure}\":\n{log}");
            }
            // One line per dead client says what happened.
            Assert.Equal(20, CountOf(log, "went away without unsubscribing"));
            output.WriteLine(
                $"20 watchers killed: the pub-sub had removed them after {removedAfter.TotalSeconds:0.00} s, Redis after " +
                $"{storedAfter.TotalSeconds:0.00} s (bound {RemovalBound.TotalSeconds:0} s); 100 changes later no delivery failure was " +
                $"logged");
        }
        finally
        {
            foreach (var watcher in watchers) watcher.Dispose();
        }
    }

    /// <summary>The union stream's subscriptions held by clients, as Orleans' pub-sub (its PubSubRendezvousGrain) reports them.</summary>
    private async Task<List<StreamSubscription>> ClientSubscriptions()
    {
        Assert.True(_client!.Client.GetStreamProvider(UnionStream.ProviderName).TryGetStreamSubscriptionManager(out var manager));
        var all = await manager.GetSubscriptions(UnionStream.ProviderName, UnionStream.Id);
        return [.. all.Where(s => s.GrainId.IsClient())];
    }

    /// <summary>The union stream's pub-sub state as stored in Redis (PubSubStore), as text: client ids appear in it as
    /// they are written.</summary>
    private async Task<string> StoredPubSub()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: "*pubsubrendezvous*").ToList();
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            foreach (var entry in await redis.GetDatabase().HashGetAllAsync(key))
            {
                text.Append(Encoding.Latin1.GetString((byte[])entry.Value!)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length,
            StringComparison.Ordinal)) count++;
        return count;
    }
}
