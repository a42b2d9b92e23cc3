using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Grains;

/// <summary>
/// A silent source turns stale and keeps its items in the union; with DropAfter its items leave the union and come
/// back whole when it is heard from again (a heartbeat or a write). Real time, short settings, awaited conditions.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StaleSourceTests(ClusterFixture fixture)
{
    private async Task<string[]> UnionOf(string source) =>
        [.. (await fixture.Client.GetAggregator().GetSnapshot()).Services.Where(s => s.Source() == source)
            .Select(s => $"{s.Key()}@{s.Source()}").Order(StringComparer.Ordinal)];

    private Task<SourceStatus> StatusUntil(string source, Func<SourceStatus, bool> done, string what) =>
        Eventually.Get(() => fixture.Client.GetSource(source).GetStatus(), done, what: what);

    [Fact]
    public async Task A_silent_source_turns_stale_and_its_items_stay_in_the_union()
    {
        const string source = ClusterFixture.QuietSource;
        await fixture.Client.GetSource(source).Apply(new ServiceUpdate(Operation.Set, [Service("web")]));

        var status = await StatusUntil(source, s => s.Stale, "the quiet source to turn stale");

        Assert.False(status.Dropped);
        Assert.Equal(TimeSpan.FromSeconds(1), status.StaleAfter);
        Assert.Null(status.DropAfter);
        Assert.Equal(["default/web@quiet"], await UnionOf(source));
        Assert.Equal(1, status.Services);

        // A watched grain stays in memory, yet removing its source still starts it afresh.
        Assert.True(await fixture.Client.GetAggregator().RemoveSource(source));
        var removed = await StatusUntil(source, s => s.Services == 0, "the removed source to start afresh");
        Assert.False(removed.Stale);
        Assert.Empty(await UnionOf(source));
    }

    [Fact]
    public async Task A_source_silent_past_DropAfter_leaves_the_union_and_comes_back_when_heard_from()
    {
        const string source = ClusterFixture.DroppingSource;
        var grain = fixture.Client.GetSource(source);
        await grain.Apply(new ServiceUpdate(Operation.Set, [Service("a"), Service("b")]));
        Assert.Equal(["default/a@dropping", "default/b@dropping"], await UnionOf(source));

        var dropped = await StatusUntil(source, s => s.Dropped, "the source to be dropped");
        Assert.True(dropped.Stale);
        Assert.Equal(2, dropped.Services);
        await Eventually.Get(() => UnionOf(source), items => items.Length == 0, what: "its items to leave the union");
        Assert.Equal(2, (await grain.GetSnapshot()).Services.Count);

        // A heartbeat (an outside client may send one: it changes nothing but the clock) brings the items back.
        await grain.Heartbeat();
        Assert.False((await grain.GetStatus()).Dropped);
        await Eventually.Get(() => UnionOf(source), items => items.Length == 2, what: "its items to come back");

        // Dropped again, then a write brings the items back with the change on top.
        await StatusUntil(source, s => s.Dropped, "the source to be dropped again");
        await grain.Apply(new ServiceUpdate(Operation.Add, [Service("c")]));
        Assert.Equal(["default/a@dropping", "default/b@dropping", "default/c@dropping"], await UnionOf(source));
    }
}
