using System.Text;
using OrleansConfig.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdUpdateBuilderTests
{
    private const string Services = "/registry/services/specs/";
    private const string EndpointsKeys = "/registry/services/endpoints/";

    private readonly EtcdUpdateBuilder _builder = new(new EtcdKeyLayout("/registry/services"));

    private static EtcdKeyValue Kv(string key, string value, long revision) => new(key, Encoding.UTF8.GetBytes(value), revision);

    private static string[] Keys(IEnumerable<IConfigItem> items) => [.. items.Select(i => i.Key().ToString())];

    [Fact]
    public void A_list_becomes_one_Set_of_each_kind_at_its_revision_and_marks_synced()
    {
        var services =
            new EtcdRange([Kv(Services + "a/web", EtcdJson.Service("web", "a"), 3), Kv(Services + "b/web", EtcdJson.Service("web"), 4)], 9);
        var endpoints = new EtcdRange([Kv(EndpointsKeys + "a/web", EtcdJson.Endpoints("web"), 5)], 9);

        var listing = _builder.FromList(services, endpoints);

        Assert.Equal(9, listing.Revision);
        Assert.True(listing.Update.Synced);
        Assert.Equal(Operation.Set, listing.Update.Services!.Op);
        Assert.Equal(["a/web", "b/web"], Keys(listing.Update.Services.Services));
        Assert.Equal(9, listing.Update.Services.Revision);
        Assert.Equal(Operation.Set, listing.Update.Endpoints!.Op);
        Assert.Equal(["a/web"], Keys(listing.Update.Endpoints.Endpoints));
        Assert.Equal(9, listing.Update.Endpoints.Revision);
        Assert.Empty(listing.BadValues);
    }

    [Fact]
    public void Slices_are_listed_as_a_Set_and_their_events_become_Adds_and_Removes_at_the_revision()
    {
        const string Slices = "/registry/services/endpointslices/";
        var slices = new EtcdRange([Kv(Slices + "shop/web-1", EtcdJson.Slice("web-1", "web"), 5), Kv(Slices + "shop/web-2", """{"kind":"Service"}""", 6)], 9);

        var listing = _builder.FromList(new EtcdRange([], 9), new EtcdRange([], 9), slices);
        var batch = _builder.FromEvents(
        [
            new EtcdEvent(EtcdEventType.Put, Slices + "shop/web-3", Encoding.UTF8.GetBytes(EtcdJson.Slice("web-3", "web", ip: "10.0.0.3")), 10),
            new EtcdEvent(EtcdEventType.Delete, Slices + "shop/web-1", default, 10),
        ], after: 9);

        Assert.Equal(Operation.Set, listing.Update.EndpointSlices!.Op);
        Assert.Equal(["shop/web-1"], Keys(listing.Update.EndpointSlices.Slices));
        Assert.Equal(9, listing.Update.EndpointSlices.Revision);
        Assert.Equal("10.0.0.1", listing.Update.EndpointSlices.Slices[0].Endpoints[0].Addresses[0]);
        Assert.Equal(
            [new EtcdBadValue(Slices + "shop/web-2", 6, "kind: must be EndpointSlice under this key, got \"Service\"")], listing.BadValues);
        var updates = Assert.Single(batch.Revisions).Updates;
        Assert.Equal(Operation.Remove, updates[0].EndpointSlices!.Op);
        Assert.Equal(["shop/web-1"], Keys(updates[0].EndpointSlices!.Slices));
        Assert.Equal(Operation.Add, updates[1].EndpointSlices!.Op);
        Assert.Equal(["shop/web-3"], Keys(updates[1].EndpointSlices!.Slices));
        Assert.Equal(10, updates[1].EndpointSlices!.Revision);
    }

    [Fact]
    public void An_empty_list_is_still_a_Set_of_each_kind_so_it_clears()
    {
        var listing = _builder.FromList(new EtcdRange([], 1), new EtcdRange([], 1));

        Assert.Equal(Operation.Set, listing.Update.Services!.Op);
        Assert.Empty(listing.Update.Services.Services);
        Assert.Equal(Operation.Set, listing.Update.Endpoints!.Op);
        Assert.Empty(listing.Update.Endpoints.Endpoints);
        Assert.True(listing.Update.Synced);
    }

    [Fact]
    public void The_events_of_one_revision_become_one_update_with_both_kinds()
    {
        var batch = _builder.FromEvents(
            [EtcdEvent.Put(Services + "a/web", EtcdJson.Service("web", "a"), 7),
                EtcdEvent.Put(EndpointsKeys + "a/web", EtcdJson.Endpoints("web", "a"), 7)],
            after: 6);

        var revision = Assert.Single(batch.Revisions);
        Assert.Equal(7, revision.Revision);
        var update = Assert.Single(revision.Updates);
        Assert.Equal(Operation.Add, update.Services!.Op);
        Assert.Equal(["a/web"], Keys(update.Services.Services));
        Assert.Equal(7, update.Services.Revision);
        Assert.Equal(Operation.Add, update.Endpoints!.Op);
        Assert.Equal(7, update.Endpoints.Revision);
        Assert.False(update.Synced);
    }

    [Fact]
    public void Each_revision_becomes_its_own_update_in_revision_order()
    {
        var batch = _builder.FromEvents(
            [EtcdEvent.Put(Services + "a/web", EtcdJson.Service("web"), 7), EtcdEvent.Delete(Services + "a/web", 8),
                EtcdEvent.Put(Services + "b/api", EtcdJson.Service("api"), 9)],
            after: 0);

        Assert.Equal([7L, 8, 9], batch.Revisions.Select(r => r.Revision));
        Assert.Equal([Operation.Add, Operation.Remove, Operation.Add], batch.Revisions.Select(r => r.Updates.Single().Services!.Op));
        Assert.All(batch.Revisions, r => Assert.Null(r.Updates.Single().Endpoints));
    }

    [Fact]
    public void A_delete_removes_the_item_its_key_names()
    {
        var batch = _builder.FromEvents([EtcdEvent.Delete(EndpointsKeys + "team-a/web", 12)], after: 11);

        var update = batch.Revisions.Single().Updates.Single();
        Assert.Null(update.Services);
        Assert.Equal(Operation.Remove, update.Endpoints!.Op);
        Assert.Equal(["team-a/web"], Keys(update.Endpoints.Endpoints));
        Assert.Equal(12, update.Endpoints.Revision);
    }

    [Fact]
    public void A_revision_that_puts_and_deletes_one_kind_removes_first_then_adds_at_a_higher_grain_revision()
    {
        var batch = _builder.FromEvents(
            [EtcdEvent.Put(Services + "a/new", EtcdJson.Service("new"), 20), EtcdEvent.Delete(Services + "a/old", 20),
                EtcdEvent.Put(EndpointsKeys + "a/new", EtcdJson.Endpoints("new"), 20)],
            after: 19);

        var updates = batch.Revisions.Single().Updates;
        Assert.Equal(2, updates.Count);
        Assert.Equal((Operation.Remove, 20), (updates[0].Services!.Op, updates[0].Services!.Revision));
        Assert.Equal(["a/old"], Keys(updates[0].Services!.Services));
        Assert.Equal((Operation.Add, 20), (updates[0].Endpoints!.Op, updates[0].Endpoints!.Revision));
        Assert.Equal((Operation.Add, 20), (updates[1].Services!.Op, updates[1].Services!.Revision));
        Assert.Equal(["a/new"], Keys(updates[1].Services!.Services));
        Assert.Null(updates[1].Endpoints);
    }

    [Fact]
    public void Events_not_newer_than_the_applied_revision_are_skipped()
    {
        var batch =
            _builder.FromEvents([EtcdEvent.Put(Services + "a/web", EtcdJson.Service("web"), 5), EtcdEvent.Delete(Services + "a/web", 6)],
            after: 5);

        Assert.Equal([6L], batch.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public void Keys_outside_both_folders_change_nothing_but_their_revision_still_counts()
    {
        var batch = _builder.FromEvents([EtcdEvent.Put("/registry/services/locks/x", "anything", 4)], after: 3);

        var revision = Assert.Single(batch.Revisions);
        Assert.Equal(4, revision.Revision);
        Assert.Empty(revision.Updates);
        Assert.Empty(batch.BadValues);
    }

    [Fact]
    public void A_bad_put_removes_the_item_its_key_names_and_is_reported_once()
    {
        var batch = _builder.FromEvents([EtcdEvent.Put(Services + "a/web", "{oops", 30)], after: 0);

        var update = batch.Revisions.Single().Updates.Single();
        Assert.Equal(Operation.Remove, update.Services!.Op);
        Assert.Equal(["a/web"], Keys(update.Services.Services));
        var bad = Assert.Single(batch.BadValues);
        Assert.Equal((Services + "a/web", 30L), (bad.Key, bad.ModRevision));
        Assert.StartsWith("not JSON", bad.Reason);
        Assert.Equal(1, _builder.BadKeys);

        // A resync that finds the same bad value stays quiet; the item is left out of the Set.
        var listing =
            _builder.FromList(new EtcdRange([Kv(Services + "a/web", "{oops", 30), Kv(Services + "a/api", EtcdJson.Service("api"), 31)], 40),
            new EtcdRange([], 40));
        Assert.Empty(listing.BadValues);
        Assert.Equal(["a/api"], Keys(listing.Update.Services!.Services));
    }

    [Fact]
    public void A_malformed_key_is_reported_but_names_no_item_to_change()
    {
        var batch = _builder.FromEvents([EtcdEvent.Put(Services + "no-name", EtcdJson.Service("web"), 8)], after: 0);

        Assert.Empty(batch.Revisions.Single().Updates);
        Assert.Contains("{namespace}/{name}", Assert.Single(batch.BadValues).Reason);
    }

    [Fact]
    public void Fixing_or_deleting_a_bad_value_forgets_it()
    {
        _builder.FromEvents([EtcdEvent.Put(Services + "a/web", "{oops", 30), EtcdEvent.Put(Services + "a/api", "[]", 30)], after: 0);
        Assert.Equal(2, _builder.BadKeys);

        var batch =
            _builder.FromEvents(
            [EtcdEvent.Put(Services + "a/web", EtcdJson.Service("web", "a"), 31), EtcdEvent.Delete(Services + "a/api", 32)], after: 30);

        Assert.Equal(0, _builder.BadKeys);
        Assert.Equal(Operation.Add, batch.Revisions[0].Updates.Single().Services!.Op);
        Assert.Empty(batch.BadValues);
    }

    [Fact]
    public void A_new_bad_value_at_a_known_bad_key_is_reported_again()
    {
        _builder.FromEvents([EtcdEvent.Put(Services + "a/web", "{oops", 30)], after: 0);

        var batch = _builder.FromEvents([EtcdEvent.Put(Services + "a/web", "{still oops", 31)], after: 30);

        Assert.Single(batch.BadValues);
    }
}
