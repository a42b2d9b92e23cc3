using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiEventBatchTests
{
    private readonly ApiKind<Service> _kind = ApiKinds.Services(new FakeApiWatcher(), new ApiSourceOptions());

    private static ApiWatchEvent<Service> Event(ApiWatchEventType type, Service? service, string version) => new(type, service, version);

    [Fact]
    public void Each_key_ends_at_its_last_event_removals_first_at_the_last_version()
    {
        var batch = new ApiEventBatch<Service>(_kind);
        batch.Add(Event(ApiWatchEventType.Added, Items.Service("a"), "5"));
        batch.Add(Event(ApiWatchEventType.Added, Items.Service("b"), "6"));
        batch.Add(Event(ApiWatchEventType.Modified, Items.Service("a", port: 81), "7"));
        batch.Add(Event(ApiWatchEventType.Deleted, Items.Service("c"), "8"));
        batch.Add(Event(ApiWatchEventType.Deleted, Items.Service("b"), "9"));
        batch.Add(Event(ApiWatchEventType.Bookmark, null, "12"));

        var updates = batch.ToUpdates();

        Assert.Equal(2, updates.Count);
        Assert.Equal((Operation.Remove, 12L), (updates[0].Services!.Op, updates[0].Services!.Revision));
        Assert.Equal(["default/b", "default/c"],
            updates[0].Services!.Services.Select(s => s.Key().ToString()).Order(StringComparer.Ordinal));
        Assert.Equal((Operation.Add, 12L), (updates[1].Services!.Op, updates[1].Services!.Revision));
        Assert.Equal([Items.Service("a", port: 81)], updates[1].Services!.Services);
        Assert.Equal(("12", 6, 1), (batch.ResourceVersion, batch.Count, batch.Bookmarks));
    }

    [Fact]
    public void Bookmarks_alone_make_no_update()
    {
        var batch = new ApiEventBatch<Service>(_kind);
        batch.Add(Event(ApiWatchEventType.Bookmark, null, "40"));

        Assert.Empty(batch.ToUpdates());
        Assert.Equal("40", batch.ResourceVersion);
    }

    [Fact]
    public void A_bad_object_removes_its_key_and_is_reported_once_per_version()
    {
        var first = new ApiEventBatch<Service>(_kind);
        first.Add(Event(ApiWatchEventType.Added, Items.Service("big", port: 70000), "5"));
        var update = Assert.Single(first.ToUpdates());
        Assert.Equal(Operation.Remove, update.Services!.Op);
        var bad = Assert.Single(first.NewlyBad);
        Assert.Equal(new ObjectKey("default", "big"), bad.Key);
        Assert.Contains("spec.ports[0].port", bad.Reason);

        var again = new ApiEventBatch<Service>(_kind);
        again.Add(Event(ApiWatchEventType.Modified, Items.Service("big", port: 70000), "6"));
        Assert.Empty(again.NewlyBad);
        Assert.Equal(1, _kind.Filter.BadCount);

        var fixedUp = new ApiEventBatch<Service>(_kind);
        fixedUp.Add(Event(ApiWatchEventType.Modified, Items.Service("big", port: 80), "7"));
        Assert.Equal(Operation.Add, Assert.Single(fixedUp.ToUpdates()).Services!.Op);
        Assert.Equal(0, _kind.Filter.BadCount);
    }

    [Fact]
    public void Deleting_an_object_whose_name_is_invalid_sends_nothing()
    {
        var batch = new ApiEventBatch<Service>(_kind);
        batch.Add(Event(ApiWatchEventType.Added, Items.Service("Bad_Name"), "5"));
        batch.Add(Event(ApiWatchEventType.Deleted, Items.Service("Bad_Name"), "6"));

        Assert.Empty(batch.ToUpdates());
        Assert.Equal(0, _kind.Filter.BadCount);
    }

    [Fact]
    public void An_unversioned_resource_version_makes_an_unversioned_update()
    {
        var batch = new ApiEventBatch<Service>(_kind);
        batch.Add(Event(ApiWatchEventType.Added, Items.Service("a"), "opaque-token"));

        Assert.Equal(0, Assert.Single(batch.ToUpdates()).Services!.Revision);
    }
}
