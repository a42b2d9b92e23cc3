using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class UnionStateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private readonly Dictionary<string, SourceState> _sources = [];

    private SourceDelta Change(string source, SourceUpdate update)
    {
        if (!_sources.TryGetValue(source, out var state)) _sources[source] = state = new SourceState(source);
        var delta = state.Plan(update, Now);
        state.Commit(delta);
        return delta;
    }

    [Fact]
    public void Each_applied_change_gets_the_next_version()
    {
        var union = new UnionState(Guid.NewGuid());

        Assert.Equal(DeltaOutcome.Applied, union.Apply(Change("a", new ServiceUpdate(Operation.Add, [Service("foo")])), out var first));
        Assert.Equal(DeltaOutcome.Applied, union.Apply(Change("b", new ServiceUpdate(Operation.Add, [Service("foo")])), out var second));

        Assert.Equal(1, first!.Version.Version);
        Assert.Equal(2, second!.Version.Version);
        Assert.Equal(union.Version, second.Version);
    }

    [Fact]
    public void Same_name_from_two_sources_appears_twice()
    {
        var union = new UnionState(Guid.NewGuid());
        union.Apply(Change("a", new ServiceUpdate(Operation.Add, [Service("foo")])), out _);
        union.Apply(Change("b", new ServiceUpdate(Operation.Add, [Service("foo")])), out _);

        Assert.Equal(["default/foo@a", "default/foo@b"], DescribeSorted(union.ToSnapshot().Services));
        Assert.Equal(2, union.ServiceCount);
    }

    [Fact]
    public void Replayed_change_is_a_duplicate_and_changes_no_version()
    {
        var union = new UnionState(Guid.NewGuid());
        var delta = Change("a", new ServiceUpdate(Operation.Add, [Service("foo")]));
        union.Apply(delta, out _);

        Assert.Equal(DeltaOutcome.Duplicate, union.Apply(delta, out var published));
        Assert.Null(published);
        Assert.Equal(1, union.Version.Version);
    }

    [Fact]
    public void Missing_change_is_a_gap_that_leaves_the_union_as_it_was()
    {
        var union = new UnionState(Guid.NewGuid());
        Change("a", new ServiceUpdate(Operation.Add, [Service("lost")]));
        var next = Change("a", new ServiceUpdate(Operation.Add, [Service("foo")]));

        Assert.Equal(DeltaOutcome.Gap, union.Apply(next, out _));
        Assert.Empty(union.ToSnapshot().Services);
    }

    [Fact]
    public void Replace_with_the_source_snapshot_publishes_only_the_difference()
    {
        var union = new UnionState(Guid.NewGuid());
        union.Apply(Change("a", new ServiceUpdate(Operation.Add, [Service("foo"), Service("bar")])), out _);
        Change("a", new ServiceUpdate(Operation.Remove, [Service("bar")]));
        Change("a", new ServiceUpdate(Operation.Add, [Service("baz")]));

        var published = union.Replace(_sources["a"].ToSnapshot(), Now);

        Assert.NotNull(published);
        Assert.Equal(["default/baz@a"], DescribeSorted(published.Change.UpsertedServices));
        Assert.Equal([new ObjectKey("default", "bar")], published.Change.RemovedServices);
        Assert.Equal(3, union.SequenceOf("a"));
        Assert.Equal(["default/baz@a", "default/foo@a"], DescribeSorted(union.ToSnapshot().Services));
    }

    [Fact]
    public void Replace_with_an_identical_snapshot_publishes_nothing()
    {
        var union = new UnionState(Guid.NewGuid());
        union.Apply(Change("a", new ServiceUpdate(Operation.Add, [Service("foo")])), out _);

        Assert.Null(union.Replace(_sources["a"].ToSnapshot(), Now));
        Assert.Equal(1, union.Version.Version);
    }

    [Fact]
    public void Loaded_sources_form_the_union_at_version_zero()
    {
        var union = new UnionState(Guid.NewGuid());
        Change("a", new ServiceUpdate(Operation.Add, [Service("foo")]));
        Change("b", new EndpointsUpdate(Operation.Add, [Addresses("foo", "10.0.0.1")]));

        union.Load(_sources["a"].ToSnapshot());
        union.Load(_sources["b"].ToSnapshot());

        Assert.Equal(0, union.Version.Version);
        Assert.Equal(1, union.ServiceCount);
        Assert.Equal(1, union.EndpointsCount);
        Assert.Equal(1, union.SequenceOf("b"));
    }

    [Fact]
    public void Snapshot_lists_sources_by_name_whatever_order_they_were_loaded_in()
    {
        // A rebuild loads each source as its answer arrives; the snapshot must not depend on which answered first.
        var union = new UnionState(Guid.NewGuid());
        Change("b", new ServiceUpdate(Operation.Add, [Service("x"), Service("y")]));
        Change("a", new ServiceUpdate(Operation.Add, [Service("z")]));
        Change("c", new ServiceUpdate(Operation.Add, [Service("w")]));

        union.Load(_sources["c"].ToSnapshot());
        union.Load(_sources["a"].ToSnapshot());
        union.Load(_sources["b"].ToSnapshot());

        var snapshot = union.ToSnapshot();
        Assert.Equal(["a/z", "b/x", "b/y", "c/w"], snapshot.Services.Select(s => $"{s.Source()}/{s.Metadata.Name}").ToArray());
    }

    [Fact]
    public void Source_that_lost_its_storage_is_resynced_not_ignored()
    {
        var union = new UnionState(Guid.NewGuid());
        var old = new SourceState("a") { Incarnation = Guid.NewGuid() };
        for (var i = 0; i < 5; i++)
        {
            var d = old.Plan(new ServiceUpdate(Operation.Add, [Service($"s{i}")]), Now);
            old.Commit(d);
            union.Apply(d, out _);
        }
        var reborn = new SourceState("a") { Incarnation = Guid.NewGuid() };
        var first = reborn.Plan(new ServiceUpdate(Operation.Add, [Service("fresh")]), Now);
        reborn.Commit(first);

        Assert.Equal(DeltaOutcome.Gap, union.Apply(first, out _));
        var published = union.Replace(reborn.ToSnapshot(), Now);

        Assert.NotNull(published);
        Assert.Equal(["default/fresh@a"], DescribeSorted(union.ToSnapshot().Services));
        Assert.True(union.Has("a", reborn.Incarnation, 1));
    }

    [Fact]
    public void First_change_of_a_new_source_is_applied_without_a_resync()
    {
        var union = new UnionState(Guid.NewGuid());
        var source = new SourceState("a") { Incarnation = Guid.NewGuid() };
        var first = source.Plan(new ServiceUpdate(Operation.Add, [Service("foo")]), Now);

        Assert.Equal(DeltaOutcome.Applied, union.Apply(first, out _));
        Assert.True(union.Has("a", source.Incarnation, 1));
    }
}
