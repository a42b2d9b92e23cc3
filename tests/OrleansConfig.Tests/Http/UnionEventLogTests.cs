using System.Text;
using OrleansConfig.Silo.Http;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Http;

public sealed class UnionEventLogTests
{
    private static readonly Guid Epoch = Guid.Parse("1a2b3c4d-0000-0000-0000-000000000000");
    private static readonly Guid NewEpoch = Guid.Parse("5e6f7a8b-0000-0000-0000-000000000000");

    private const string WebJson =
        """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop","annotations":{"orleans-config/source":"file"}},"spec":{"ports":[{"protocol":"TCP","port":80}]}}""";

    private const string NoEndpoints = "\"endpoints\":{\"upserted\":[],\"removed\":[]}";

    private static UnionEventLog Started(int maxQueued = 100, long maxQueuedBytes = 1 << 20)
    {
        var log = new UnionEventLog(maxQueued, maxQueuedBytes);
        log.Apply(new ConfigChanges<Service> { Initial = true, Version = V(Epoch, 1) });
        log.Apply(new ConfigChanges<Endpoints> { Initial = true, Version = V(Epoch, 1) });
        return log;
    }

    private static string Text(EventBatch batch) => string.Concat(batch.Events.Select(e => Encoding.UTF8.GetString(e)));

    private static string Changes(string json) => $"event: changes\ndata: {json}\n\n";

    [Fact]
    public void A_page_that_connects_gets_the_union_sources_and_version_as_the_api_writes_them()
    {
        var log = new UnionEventLog(100, 1 << 20);
        var a = Sourced("shop", "web", "file");
        var b = Sourced("default", "api", "etcd");
        var e = SourcedEndpoints("shop", "web", "file", Subset(["10.0.0.1"], EndpointPort(8080)));
        log.Apply(new ConfigChanges<Service> { Initial = true, Added = [b, a], Version = V(Epoch, 3) });
        log.Apply(new ConfigChanges<Endpoints> { Initial = true, Added = [e], Version = V(Epoch, 3) });
        log.SetSources("""[{"name":"file"}]""");

        var batch = log.Read(null);

        Assert.True(batch.Snapshot);
        Assert.Equal(
            $"event: services\ndata: {Manifest.ToJson([b, a], [])}\n\n" +
            $"event: endpoints\ndata: {Manifest.ToJson([], [e])}\n\n" +
            "event: sources\ndata: [{\"name\":\"file\"}]\n\n" +
            "event: version\ndata: {\"version\":\"1a2b3c4d:3\"}\n\n",
            Text(batch));
    }

    [Fact]
    public void An_added_service_is_one_changes_event_with_the_item_as_the_api_writes_it()
    {
        var log = Started();
        var page = log.Read(null).Cursor;

        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "web", "file")], Version = V(Epoch, 2) });
        var batch = log.Read(page);

        Assert.False(batch.Snapshot);
        Assert.Equal(WebJson, Manifest.ToJson(Sourced("shop", "web", "file")));
        Assert.Equal(
            Changes($$"""{"version":"1a2b3c4d:2","services":{"upserted":[{{WebJson}}],"removed":[]},{{NoEndpoints}}}"""),
            Text(batch));
    }

    [Fact]
    public void An_update_sends_the_new_item_only()
    {
        var log = Started();
        var old = Sourced("shop", "web", "file");
        log.Apply(new ConfigChanges<Service> { Added = [old], Version = V(Epoch, 2) });
        var page = log.Read(null).Cursor;

        var updated = Sourced("shop", "web", "file", Tcp(8443));
        log.Apply(new ConfigChanges<Service> { Updated = [new ItemUpdate<Service>(old, updated)], Version = V(Epoch, 3) });

        Assert.Equal(
            Changes($$"""{"version":"1a2b3c4d:3","services":{"upserted":[{{WebJson.Replace("80", "8443")}}],"removed":[]},{{NoEndpoints}}}"""),
            Text(log.Read(page)));
    }

    [Fact]
    public void A_removed_item_is_named_by_namespace_name_and_source()
    {
        var log = Started();
        var web = SourcedEndpoints("shop", "web", "file");
        log.Apply(new ConfigChanges<Endpoints> { Added = [web], Version = V(Epoch, 2) });
        var page = log.Read(null).Cursor;

        log.Apply(new ConfigChanges<Endpoints> { Removed = [web], Version = V(Epoch, 3) });

        Assert.Equal(
            Changes("""{"version":"1a2b3c4d:3","services":{"upserted":[],"removed":[]},""" +
                "\"endpoints\":{\"upserted\":[],\"removed\":[{\"namespace\":\"shop\",\"name\":\"web\",\"source\":\"file\"}]}}"),
            Text(log.Read(page)));
        Assert.Contains($"event: endpoints\ndata: {Manifest.ToJson([], [])}\n\n", Text(log.Read(null)));
    }

    [Fact]
    public void A_batch_is_one_event_with_added_and_updated_together_in_union_order()
    {
        var log = Started();
        var gone = Sourced("a", "gone", "file");
        var before = Sourced("b", "web", "file");
        log.Apply(new ConfigChanges<Service> { Added = [gone, before], Version = V(Epoch, 2) });
        var page = log.Read(null).Cursor;

        var after = Sourced("b", "web", "file", Tcp(81));
        var added = Sourced("c", "new", "etcd");
        log.Apply(new ConfigChanges<Service>
        {
            Added = [added],
            Updated = [new ItemUpdate<Service>(before, after)],
            Removed = [gone],
            Version = V(Epoch, 5),
        });

        Assert.Equal(
            Changes($$"""{"version":"1a2b3c4d:5","services":{"upserted":[{{Manifest.ToJson(after)}},{{Manifest.ToJson(added)}}],""" +
                "\"removed\":[{\"namespace\":\"a\",\"name\":\"gone\",\"source\":\"file\"}]}," + NoEndpoints + "}"),
            Text(log.Read(page)));
        // A page connecting now starts from the union as it is.
        Assert.StartsWith($"event: services\ndata: {Manifest.ToJson([after, added], [])}\n\n", Text(log.Read(null)));
    }

    [Fact]
    public void Several_changes_since_a_page_last_read_come_in_order_then_nothing()
    {
        var log = Started();
        var page = log.Read(null).Cursor;

        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "one", "file")], Version = V(Epoch, 2) });
        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "two", "file")], Version = V(Epoch, 3) });
        var batch = log.Read(page);

        Assert.Equal(2, batch.Events.Count);
        Assert.Contains("\"version\":\"1a2b3c4d:2\"", Encoding.UTF8.GetString(batch.Events[0]));
        Assert.Contains("\"name\":\"two\"", Encoding.UTF8.GetString(batch.Events[1]));
        Assert.Empty(log.Read(batch.Cursor).Events);
    }

    [Fact]
    public void A_page_further_behind_than_the_bound_gets_a_fresh_snapshot_instead_of_the_backlog()
    {
        var log = Started(maxQueued: 2);
        var page = log.Read(null).Cursor;
        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "one", "file")], Version = V(Epoch, 2) });
        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "two", "file")], Version = V(Epoch, 3) });
        Assert.False(log.Read(page).Snapshot);

        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "three", "file")], Version = V(Epoch, 4) });
        var batch = log.Read(page);

        Assert.True(batch.Snapshot);
        Assert.True(batch.FellBehind);
        var all = new[] { Sourced("shop", "one", "file"), Sourced("shop", "three", "file"), Sourced("shop", "two", "file") };
        Assert.Equal(
            $"event: services\ndata: {Manifest.ToJson(all, [])}\n\n" +
            $"event: endpoints\ndata: {Manifest.ToJson([], [])}\n\n" +
            "event: version\ndata: {\"version\":\"1a2b3c4d:4\"}\n\n",
            Text(batch));
        Assert.Empty(log.Read(batch.Cursor).Events);
    }

    [Fact]
    public void The_byte_bound_also_sends_a_snapshot_but_keeps_the_newest_event()
    {
        var log = Started(maxQueuedBytes: 1);
        var page = log.Read(null).Cursor;
        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "one", "file")], Version = V(Epoch, 2) });
        var caughtUp = log.Read(page);
        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "two", "file")], Version = V(Epoch, 3) });

        Assert.False(caughtUp.Snapshot);
        Assert.True(log.Read(page).FellBehind);
        Assert.False(log.Read(caughtUp.Cursor).Snapshot);
    }

    [Fact]
    public void The_first_union_of_a_kind_sends_pages_a_snapshot_not_a_change()
    {
        var log = new UnionEventLog(100, 1 << 20);
        var page = log.Read(null).Cursor;

        log.Apply(new ConfigChanges<Service> { Initial = true, Added = [Sourced("shop", "web", "file")], Version = V(Epoch, 7) });
        var batch = log.Read(page);

        Assert.True(batch.Snapshot);
        Assert.False(batch.FellBehind);
        Assert.Equal(
            $"event: services\ndata: {{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{WebJson}]}}\n\n" +
            "event: version\ndata: {\"version\":\"1a2b3c4d:7\"}\n\n",
            Text(batch));
    }

    [Fact]
    public void The_version_a_page_sees_never_goes_back()
    {
        var log = Started();
        var page = log.Read(null).Cursor;

        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "web", "file")], Version = V(Epoch, 9) });
        // The Endpoints view is a step behind the Services one.
        log.Apply(new ConfigChanges<Endpoints> { Added = [SourcedEndpoints("shop", "web", "file")], Version = V(Epoch, 8) });
        log.Apply(new ConfigChanges<Service> { Removed = [Sourced("shop", "web", "file")], Version = V(NewEpoch, 1) });
        // A late change of the epoch left behind does not take the version back either.
        log.Apply(new ConfigChanges<Endpoints> { Removed = [SourcedEndpoints("shop", "web", "file")], Version = V(Epoch, 10) });

        var versions = log.Read(page).Events.Select(e => Encoding.UTF8.GetString(e).Split('"')[3]).ToList();
        Assert.Equal(["1a2b3c4d:9", "1a2b3c4d:9", "5e6f7a8b:1", "5e6f7a8b:1"], versions);
        Assert.Equal("5e6f7a8b:1", log.Version);
    }

    [Fact]
    public void Sources_are_sent_again_only_when_they_change()
    {
        var log = Started();
        Assert.True(log.SetSources("[]"));
        var page = log.Read(null).Cursor;

        Assert.False(log.SetSources("[]"));
        Assert.Empty(log.Read(page).Events);
        Assert.True(log.SetSources("""[{"name":"file"}]"""));
        Assert.Equal("event: sources\ndata: [{\"name\":\"file\"}]\n\n", Text(log.Read(page)));
    }

    [Fact]
    public async Task A_waiting_page_is_woken_by_a_change()
    {
        var log = Started();
        var page = log.Read(null).Cursor;
        var waiting = log.WaitForChangeAsync(page, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        log.Apply(new ConfigChanges<Service> { Added = [Sourced("shop", "web", "file")], Version = V(Epoch, 2) });

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(log.WaitForChangeAsync(page, CancellationToken.None).IsCompleted);
    }
}
