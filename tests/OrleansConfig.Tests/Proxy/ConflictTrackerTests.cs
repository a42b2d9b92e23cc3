using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

public sealed class ConflictTrackerTests
{
    private static readonly ServiceConflict Web = new(Key("default", "web"), "etcd", ["etcd", "file"]);
    private static readonly ServiceConflict Db = new(Key("default", "db"), "etcd", ["etcd", "file"]);

    [Fact]
    public void A_conflict_is_news_once_while_it_lasts()
    {
        var tracker = new ConflictTracker();

        Assert.Equal([Web], tracker.New([Web]));
        Assert.Empty(tracker.New([Web]));
        Assert.Equal([Db], tracker.New([Db, Web]));
        Assert.Empty(tracker.New([Db, Web]));
    }

    [Fact]
    public void A_conflict_that_ends_and_comes_back_or_changes_is_news_again()
    {
        var tracker = new ConflictTracker();
        tracker.New([Web]);

        Assert.Empty(tracker.New([]));
        Assert.Equal([Web], tracker.New([Web]));
        var widened = Web with { Sources = ["etcd", "file", "manual"] };
        Assert.Equal([widened], tracker.New([widened]));
    }
}
