using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using OrleansConfig.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>EtcdConfigSource against a real etcd, feeding the shared two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EtcdConfigSourceTests(ClusterFixture cluster, EtcdServer etcd, ITestOutputHelper output)
    : IClassFixture<EtcdServer>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = EtcdSourceHarness.Timeout;

    private readonly EtcdSourceHarness _h = new(cluster, output);
    private readonly IGrainFactory _grains = cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<EtcdRunning> Start(string name, EtcdServer? server = null, TimeSpan? resync = null) =>
        _h.Start(name, (server ?? etcd).Endpoint, o => o.ResyncPeriod = resync ?? TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Initial_list_reaches_the_union_and_the_source_is_synced()
    {
        var name = _h.NewName();
        var keys = new EtcdValues("/" + name);
        await etcd.PutAsync(keys.ServiceKey("team-a", "web"), EtcdValues.Service("web", "team-a"));
        await etcd.PutAsync(keys.ServiceKey("team-b", "web"), EtcdValues.Service("web", "team-b"));
        await etcd.PutAsync(keys.ServiceKey("team-b", "api"), EtcdValues.Service("api", "team-b"));
        await etcd.PutAsync(keys.EndpointsKey("team-a", "web"), EtcdValues.Endpoints("web", "team-a"));

        // Pages of two keys: the list is still one read at one revision.
        var running = await _h.Start(name, etcd.Endpoint, o => o.ListPageSize = 2);

        await Eventually.Get(() => _h.Union(name), u => u.SequenceEqual(
            [$"svc team-a/web@{name}", $"svc team-b/api@{name}", $"svc team-b/web@{name}", $"ep team-a/web@{name}"]), Timeout, "the union");
        var status = await _grains.GetSource(name).GetStatus();
        Assert.True(status.Synced);
        Assert.Null(status.LastError);
        Assert.Equal(1, running.Meters.Lists);
    }

    [Fact]
    public async Task Puts_updates_and_deletes_across_namespaces_reach_the_source()
    {
        var name = _h.NewName();
        var running = await Start(name);
        var keys = running.Keys;

        var clock = Stopwatch.StartNew();
        await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
        await _h.StateBecomes(name, "svc a/web:80");
        var firstLatency = clock.Elapsed;

        await etcd.PutAsync(keys.ServiceKey("b", "web"), EtcdValues.Service("web", "b"));
        await etcd.PutAsync(keys.EndpointsKey("a", "web"), EtcdValues.Endpoints("web", "a", "10.0.0.1"));
        await etcd.PutAsync(keys.EndpointsKey("b", "web"), EtcdValues.Endpoints("web", "b", "10.0.0.2"));
        await _h.StateBecomes(name, "svc a/web:80", "svc b/web:80", "ep a/web=10.0.0.1", "ep b/web=10.0.0.2");

        await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a", port: 8080));
        await etcd.PutAsync(keys.EndpointsKey("b", "web"), EtcdValues.Endpoints("web", "b", "10.0.0.3"));
        await _h.StateBecomes(name, "svc a/web:8080", "svc b/web:80", "ep a/web=10.0.0.1", "ep b/web=10.0.0.3");

        await etcd.DeleteAsync(keys.ServiceKey("b", "web"));
        await etcd.DeleteAsync(keys.EndpointsKey("a", "web"));
        await _h.StateBecomes(name, "svc a/web:8080", "ep b/web=10.0.0.3");
        await Eventually.Get(() => _h.Union(name), u => u.SequenceEqual([$"svc a/web@{name}", $"ep b/web@{name}"]), Timeout, "the union");

        // Latency of one put to the SourceGrain, then to the union.
        var samples = new List<(double Grain, double Union)>();
        for (var i = 0; i < 10; i++)
        {
            clock.Restart();
            await etcd.PutAsync(keys.ServiceKey("lat", $"s{i}"), EtcdValues.Service($"s{i}", "lat"));
            await Eventually.Get(() => _h.State(name), s => s.Contains($"svc lat/s{i}:80"), Timeout);
            var grain = clock.Elapsed.TotalMilliseconds;
            await Eventually.Get(() => _h.Union(name), u => u.Contains($"svc lat/s{i}@{name}"), Timeout);
            samples.Add((grain, clock.Elapsed.TotalMilliseconds));
        }
        output.WriteLine(
            $"first put -> grain: {firstLatency.TotalMilliseconds:0} ms; put -> grain median " +
            $"{Median(samples.Select(s => s.Grain)):0.0} ms, " +
            $"max {samples.Max(s => s.Grain):0.0} ms; put -> union median {Median(samples.Select(s => s.Union)):0.0} ms, max " +
                $"{samples.Max(s => s.Union):0.0} ms");
    }

    [Fact]
    public async Task An_empty_prefix_gives_an_empty_Set_that_clears_stale_state_and_syncs()
    {
        var name = _h.NewName();
        await _grains.GetSource(name).Apply(new ServiceUpdate(Operation.Add, [Items.Service("stale")]));

        await Start(name);

        await _h.StateBecomes(name);
        var status = await _grains.GetSource(name).GetStatus();
        Assert.True(status.Synced);
        Assert.Equal((0, 0), (status.Services, status.Endpoints));
    }

    [Fact]
    public async Task Deleting_the_last_item_clears_it()
    {
        var name = _h.NewName();
        var running = await Start(name);
        await etcd.PutAsync(running.Keys.ServiceKey("a", "only"), EtcdValues.Service("only", "a"));
        await etcd.PutAsync(running.Keys.EndpointsKey("a", "only"), EtcdValues.Endpoints("only", "a"));
        await _h.StateBecomes(name, "svc a/only:80", "ep a/only=10.0.0.1");

        await etcd.DeleteAsync(running.Keys.ServiceKey("a", "only"));
        await etcd.DeleteAsync(running.Keys.EndpointsKey("a", "only"));

        await _h.StateBecomes(name);
        await Eventually.Get(() => _h.Union(name), u => u.Length == 0, Timeout, "the union to clear");
    }

    [Fact]
    public async Task A_bad_value_is_skipped_and_counted_and_its_item_appears_once_fixed()
    {
        var name = _h.NewName();
        var keys = new EtcdValues("/" + name);
        await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
        await etcd.PutAsync(keys.ServiceKey("a", "api"), "{not json");
        await etcd.PutAsync(keys.ServiceKey("a", "db"), EtcdValues.Service("other", "a"));
        await etcd.PutAsync(keys.ServiceKey("a", "big"), EtcdValues.Service("big", "a", port: 70000));
        await etcd.PutAsync(keys.EndpointsKey("a", "web"), EtcdValues.Service("web", "a"));
        await etcd.PutAsync(keys.EndpointsKey("a", "db"), EtcdValues.Endpoints("db", "a", ip: "10.0.0.256"));

        var running = await Start(name);

        await _h.StateBecomes(name, "svc a/web:80");
        Assert.Equal(5, running.Meters.BadValues);
        Assert.True((await _grains.GetSource(name).GetStatus()).Synced);

        await etcd.PutAsync(keys.ServiceKey("a", "api"), EtcdValues.Service("api", "a"));
        await etcd.PutAsync(keys.EndpointsKey("a", "web"), EtcdValues.Endpoints("web", "a"));
        await _h.StateBecomes(name, "svc a/api:80", "svc a/web:80", "ep a/web=10.0.0.1");

        // A good value replaced by a bad one can no longer be read, so its item leaves (as in Kubernetes).
        await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "elsewhere"));
        await _h.StateBecomes(name, "svc a/api:80", "ep a/web=10.0.0.1");
        Assert.Equal(6, running.Meters.BadValues);
        Assert.Equal(4, running.Source.BadKeys);
    }

    [Fact]
    public async Task Ten_megabyte_values_are_skipped_in_the_list_and_in_the_watch_and_the_rest_is_served()
    {
        // etcd takes at most 1.5 MiB a value unless told otherwise.
        var big = new EtcdServer { MaxRequestBytes = 16 * 1024 * 1024 };
        await big.InitializeAsync();
        try
        {
            var name = _h.NewName();
            var keys = new EtcdValues("/" + name);
            var annotation = new string('a', 10 * 1024 * 1024);
            string Annotated(string service) =>
                $$$"""{"metadata":{"name":"{{{service}}}","namespace":"a","annotations":{"note":"{{{annotation}}}"}},"spec":{"ports":[{"port":80}]}}""";
            var garbage = new byte[10 * 1024 * 1024];
            new Random(7).NextBytes(garbage);
            await big.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
            await big.PutAsync(keys.ServiceKey("a", "huge"), Annotated("huge"));
            await big.Client.PutAsync(
                new PutRequest { Key = ByteString.CopyFromUtf8(keys.ServiceKey("a", "junk")), Value = ByteString.CopyFrom(garbage) });

            var running = await Start(name, big);
            await _h.StateBecomes(name, "svc a/web:80");
            Assert.Equal(2, running.Meters.BadValues);

            await big.PutAsync(keys.ServiceKey("a", "huge2"), Annotated("huge2"));
            await big.PutAsync(keys.ServiceKey("a", "api"), EtcdValues.Service("api", "a"));
            await _h.StateBecomes(name, "svc a/api:80", "svc a/web:80");
            Assert.Equal(3, running.Meters.BadValues);
            Assert.Null((await _grains.GetSource(name).GetStatus()).LastError);
        }
        finally
        {
            await big.DisposeAsync();
        }
    }

    [Fact]
    public async Task Etcdctl_writes_including_a_transaction_reach_the_source()
    {
        var name = _h.NewName();
        var running = await Start(name);
        var keys = running.Keys;

        await etcd.EtcdctlAsync(null, "put", keys.ServiceKey("a", "old"), EtcdValues.Service("old", "a"));
        await etcd.EtcdctlAsync(null, "put", keys.ServiceKey("b", "keep"), EtcdValues.Service("keep", "b"));
        await _h.StateBecomes(name, "svc a/old:80", "svc b/keep:80");

        // One revision that deletes one service and puts another, and an Endpoints.
        // etcdctl txn reads compares, a blank line, the success operations, a blank line, the failure operations.
        var txn = $"\ndel {keys.ServiceKey("a", "old")}\nput {keys.ServiceKey("a", "new")} {Quote(EtcdValues.Service("new", "a"))}\n" +
            $"put {keys.EndpointsKey("a", "new")} {Quote(EtcdValues.Endpoints("new", "a"))}\n\n\n";
        var result = await etcd.EtcdctlAsync(txn, "txn");
        Assert.StartsWith("SUCCESS", result);
        await _h.StateBecomes(name, "svc a/new:80", "svc b/keep:80", "ep a/new=10.0.0.1");

        await etcd.EtcdctlAsync(null, "del", "--prefix", $"/{name}/specs/");
        await _h.StateBecomes(name, "ep a/new=10.0.0.1");
    }

    [Fact]
    public async Task Etcd_killed_and_restarted_during_a_watch_recovers_and_reflects_changes_made_meanwhile()
    {
        var own = new EtcdServer();
        await own.InitializeAsync();
        try
        {
            var name = _h.NewName();
            var defaults = new EtcdSourceOptions();
            var running =
                await _h.Start(name, own.Endpoint, o =>
                (o.RetryInitialDelay, o.RetryMaxDelay) = (defaults.RetryInitialDelay, defaults.RetryMaxDelay));
            var keys = running.Keys;
            await own.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
            await own.PutAsync(keys.ServiceKey("a", "api"), EtcdValues.Service("api", "a"));
            await _h.StateBecomes(name, "svc a/api:80", "svc a/web:80");

            await own.KillAsync();
            var status =
                await Eventually.Get(() => _grains.GetSource(name).GetStatus(), s =>
                s.LastError is not null, Timeout, "the outage to be reported");
            Assert.StartsWith("etcd: ", status.LastError);
            Assert.Equal(["svc a/api:80", "svc a/web:80"], await _h.State(name));

            // Restarted on the same data; this source stays cut off until the changes are made.
            running.Store.Disconnect();
            await own.StartAsync();
            await own.DeleteAsync(keys.ServiceKey("a", "web"));
            await own.PutAsync(keys.ServiceKey("a", "api"), EtcdValues.Service("api", "a", port: 81));
            await own.PutAsync(keys.EndpointsKey("a", "api"), EtcdValues.Endpoints("api", "a"));
            var clock = Stopwatch.StartNew();
            running.Store.Reconnect();

            await _h.StateBecomes(name, "svc a/api:81", "ep a/api=10.0.0.1");
            output.WriteLine($"reconnect -> changes made meanwhile applied: {clock.Elapsed.TotalMilliseconds:0} ms (default backoff)");
            await Eventually.Get(() => _grains.GetSource(name).GetStatus(), s => s.LastError is null, Timeout, "the error to clear");
            Assert.Equal(1, running.Meters.Lists);
            Assert.True(running.Meters.Watches >= 2);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Compaction_while_the_source_was_disconnected_makes_it_list_again()
    {
        var name = _h.NewName();
        var running = await Start(name);
        var keys = running.Keys;
        await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
        await _h.StateBecomes(name, "svc a/web:80");

        running.Store.Disconnect();
        await Eventually.Get(() => _grains.GetSource(name).GetStatus(), s => s.LastError is not null, Timeout, "the outage to be reported");
        await etcd.DeleteAsync(keys.ServiceKey("a", "web"));
        await etcd.PutAsync(keys.ServiceKey("b", "web"), EtcdValues.Service("web", "b"));
        await etcd.PutAsync(keys.EndpointsKey("b", "web"), EtcdValues.Endpoints("web", "b"));
        await etcd.CompactAsync();
        running.Store.Reconnect();

        await _h.StateBecomes(name, "svc b/web:80", "ep b/web=10.0.0.1");
        await Eventually.Get(() => _grains.GetSource(name).GetStatus(), s => s.LastError is null, Timeout, "the error to clear");
        Assert.Equal(1, running.Meters.Compactions);
        Assert.Equal(2, running.Meters.Lists);
    }

    [Fact]
    public async Task A_stale_watcher_on_another_silo_never_resurrects_a_deleted_item()
    {
        var name = _h.NewName();
        var fast = await Start(name);
        var slow = await Start(name);
        var keys = fast.Keys;
        await etcd.PutAsync(keys.ServiceKey("a", "keep"), EtcdValues.Service("keep", "a"));
        await _h.StateBecomes(name, "svc a/keep:80");
        await Eventually.Until(() => slow.Meters.Revision == fast.Meters.Revision, timeout: Timeout, what: "both watchers to catch up");

        slow.Store.Hold();
        var put = await etcd.PutAsync(keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
        await _h.StateBecomes(name, "svc a/keep:80", "svc a/web:80");
        var deleted = await etcd.DeleteAsync(keys.ServiceKey("a", "web"));
        await _h.StateBecomes(name, "svc a/keep:80");
        var sequence = (await _grains.GetSource(name).GetStatus()).Sequence;
        Assert.True(slow.Meters.Revision < put, "the slow watcher has not delivered the put yet");

        slow.Store.Release();
        await Eventually.Until(() => slow.Meters.Revision >= deleted,
            timeout: Timeout, what: "the slow watcher to deliver its stale put and the delete");

        Assert.Equal(["svc a/keep:80"], await _h.State(name));
        Assert.Equal(sequence, (await _grains.GetSource(name).GetStatus()).Sequence);
    }

    [Fact]
    public async Task Two_live_watchers_converge_on_exactly_what_etcd_holds()
    {
        var name = _h.NewName();
        var a = await Start(name);
        await Start(name);
        var keys = a.Keys;
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var item = $"s{i % 7}";
            if (i % 3 == 2)
            {
                await etcd.DeleteAsync(keys.ServiceKey("a", item));
                expected.Remove($"svc a/{item}:{80}");
            }
            else
            {
                await etcd.PutAsync(keys.ServiceKey("a", item), EtcdValues.Service(item, "a"));
                expected.Add($"svc a/{item}:80");
            }
        }

        await _h.StateBecomes(name, [.. expected]);
    }

    [Fact]
    public async Task Resync_repairs_drift_and_publishes_nothing_when_nothing_differs()
    {
        var name = _h.NewName();
        var running = await Start(name, resync: TimeSpan.FromMilliseconds(300));
        await etcd.PutAsync(running.Keys.ServiceKey("a", "web"), EtcdValues.Service("web", "a"));
        await _h.StateBecomes(name, "svc a/web:80");

        // Someone else writes into this source's grain; a resync at a newer etcd revision repairs it.
        await _grains.GetSource(name).Apply(new ServiceUpdate(Operation.Add, [Items.Service("drift", ns: "a")]));
        await _h.StateBecomes(name, "svc a/drift:80", "svc a/web:80");
        await etcd.PutAsync($"/{name}-elsewhere/x", "moves the revision on");
        await _h.StateBecomes(name, "svc a/web:80");

        var sequence = (await _grains.GetSource(name).GetStatus()).Sequence;
        var lists = running.Meters.Lists;
        await etcd.PutAsync($"/{name}-elsewhere/x", "moves it again");
        await Eventually.Until(() => running.Meters.Lists >= lists + 2, timeout: Timeout, what: "two more resyncs");
        Assert.Equal(sequence, (await _grains.GetSource(name).GetStatus()).Sequence);
    }

    // etcdctl txn takes a value as one word or a double-quoted string with backslash escapes.
    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
