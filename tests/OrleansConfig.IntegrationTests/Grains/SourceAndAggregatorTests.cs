using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class SourceAndAggregatorTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Client;

    private async Task<string[]> UnionServices(string prefix)
    {
        var snapshot = await _grains.GetAggregator().GetSnapshot();
        return [.. snapshot.Services.Where(s => s.Source().StartsWith(prefix, StringComparison.Ordinal)).Select(Describe)
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Applied_update_reaches_the_union_tagged_with_its_source()
    {
        var p = fixture.NewPrefix();
        var result = await _grains.GetSource(p + "a").Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));

        Assert.True(result.Accepted);
        Assert.True(result.Changed);
        Assert.Equal(1, result.Sequence);
        Assert.Equal([$"default/foo@{p}a"], await UnionServices(p));
    }

    [Fact]
    public async Task Reapplying_an_update_that_changes_nothing_publishes_nothing()
    {
        var p = fixture.NewPrefix();
        var source = _grains.GetSource(p + "a");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));
        var before = await _grains.GetAggregator().GetVersion();

        var again = await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));

        Assert.True(again.Accepted);
        Assert.False(again.Changed);
        Assert.Equal(1, again.Sequence);
        Assert.Equal(before, await _grains.GetAggregator().GetVersion());
    }

    [Fact]
    public async Task Rejected_update_changes_nothing_and_names_the_field()
    {
        var p = fixture.NewPrefix();
        var source = _grains.GetSource(p + "a");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));

        var result = await source.Apply(new ServiceUpdate(Operation.Set, [Service("bar"), Service("baz", port: 70000)]));

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.Path == "services[1].spec.ports[0].port" && e.Message.Contains("70000"));
        Assert.Equal([$"default/foo@{p}a"], await UnionServices(p));
    }

    [Fact]
    public async Task Set_from_one_source_leaves_other_sources_untouched()
    {
        var p = fixture.NewPrefix();
        await _grains.GetSource(p + "a").Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await _grains.GetSource(p + "b").Apply(new ServiceUpdate(Operation.Add, [Service("foo"), Service("bar")]));

        await _grains.GetSource(p + "a").Apply(new ServiceUpdate(Operation.Set, []));

        Assert.Equal([$"default/bar@{p}b", $"default/foo@{p}b"], await UnionServices(p));
    }

    [Fact]
    public async Task Stale_revision_is_ignored_so_a_deleted_item_never_reappears()
    {
        var p = fixture.NewPrefix();
        var source = _grains.GetSource(p + "etcd");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 5 });
        await source.Apply(new ServiceUpdate(Operation.Remove, [Service("foo")]) { Revision = 7 });

        var late = await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 6 });

        Assert.True(late.Accepted);
        Assert.False(late.Changed);
        Assert.Empty(await UnionServices(p));
    }

    [Fact]
    public async Task Set_over_the_deletion_limit_is_refused_unless_forced()
    {
        var source = _grains.GetSource(ClusterFixture.GuardedSource);
        await source.Apply(new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, 20).Select(i => Service($"g{i}"))]));

        var refused = await source.Apply(new ServiceUpdate(Operation.Set, [Service("g0")]));
        var snapshot = await source.GetSnapshot();
        var forced = await source.Apply(new SourceUpdate { Services = new ServiceUpdate(Operation.Set, [Service("g0")]), Force = true });

        Assert.False(refused.Accepted);
        Assert.Equal("would remove 19 of the source's 20 items (95%), over its deletion limit of 50%; send it again with force to apply it",
            Assert.Single(refused.Errors).Message);
        Assert.Equal(20, snapshot.Services.Count);
        Assert.True(forced.Accepted);
        Assert.Single((await source.GetSnapshot()).Services);
    }
}
