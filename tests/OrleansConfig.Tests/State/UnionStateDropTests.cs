using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

/// <summary>A source dropped for silence: its items leave the union, its state is kept and comes back whole.</summary>
public sealed class UnionStateDropTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private readonly Dictionary<string, SourceState> _sources = [];
    private readonly UnionState _union = new(Guid.NewGuid());

    private void Change(string source, SourceUpdate update)
    {
        if (!_sources.TryGetValue(source, out var state)) _sources[source] = state = new SourceState(source);
        var delta = state.Plan(update, Now);
        state.Commit(delta);
        _union.Apply(delta, out _);
    }

    [Fact]
    public void Dropping_removes_only_that_source_items_as_one_change_and_keeps_the_counts_right()
    {
        Change("a", new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [Service("web"), Service("db")]),
            Endpoints = new EndpointsUpdate(Operation.Add, [Addresses("web", "10.0.0.1")]),
        });
        Change("b", new ServiceUpdate(Operation.Add, [Service("web")]));

        var dropped = _union.SetDropped("a", true, Now);

        Assert.Equal(3, dropped!.Version.Version);
        Assert.Equal(["default/db", "default/web"], dropped.Change.RemovedServices.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["default/web"], dropped.Change.RemovedEndpoints.Select(k => k.ToString()));
        Assert.Empty(dropped.Change.UpsertedServices);
        Assert.Equal(["default/web@b"], DescribeSorted(_union.ToSnapshot().Services));
        Assert.Empty(_union.ToSnapshot().Endpoints);
        Assert.Equal((1, 0), (_union.ServiceCount, _union.EndpointsCount));
        Assert.True(_union.IsDropped("a"));
        Assert.Null(_union.SetDropped("a", true, Now));
    }

    [Fact]
    public void A_dropped_source_changes_follow_silently_and_come_back_with_it()
    {
        Change("a", new ServiceUpdate(Operation.Add, [Service("web"), Service("db")]));
        _union.SetDropped("a", true, Now);
        var version = _union.Version;

        Change("a", new ServiceUpdate(Operation.Remove, [Service("db")]));
        Change("a", new ServiceUpdate(Operation.Add, [Service("api")]));

        Assert.Equal(version, _union.Version);
        Assert.Empty(_union.ToSnapshot().Services);
        var back = _union.SetDropped("a", false, Now);
        Assert.Equal(version.Version + 1, back!.Version.Version);
        Assert.Equal(["default/api@a", "default/web@a"], DescribeSorted(back.Change.UpsertedServices));
        Assert.Equal(["default/api@a", "default/web@a"], DescribeSorted(_union.ToSnapshot().Services));
        Assert.Equal(2, _union.ServiceCount);
    }

    [Fact]
    public void A_rebuild_keeps_a_dropped_source_out_and_a_resync_follows_its_snapshot()
    {
        var union = new UnionState(Guid.NewGuid());
        union.Load(new SourceSnapshot { Source = "a", Sequence = 3, Services = [Service("web").WithSource("a")], Dropped = true });
        union.Load(new SourceSnapshot { Source = "b", Sequence = 1, Services = [Service("web").WithSource("b")] });

        Assert.Equal(["default/web@b"], DescribeSorted(union.ToSnapshot().Services));
        Assert.Equal(1, union.ServiceCount);
        var back = union.FollowDropped(new SourceSnapshot { Source = "a", Sequence = 3, Dropped = false }, Now);
        Assert.Equal(["default/web@a"], DescribeSorted(back!.Change.UpsertedServices));
        Assert.Equal(2, union.ServiceCount);
    }

    [Fact]
    public void Removing_a_dropped_source_publishes_nothing_and_forgets_it()
    {
        Change("a", new ServiceUpdate(Operation.Add, [Service("web")]));
        _union.SetDropped("a", true, Now);

        Assert.Null(_union.Remove("a", Now));
        Assert.False(_union.IsDropped("a"));
        Assert.Equal(0, _union.ServiceCount);
        Assert.Null(_union.SetDropped("unknown", true, Now));
    }
}
