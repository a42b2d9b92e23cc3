using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class SourceStateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static SourceDelta Apply(SourceState state, SourceUpdate update)
    {
        var delta = state.Plan(update, Now);
        state.Commit(delta);
        state.NoteRevisions(update);
        return delta;
    }

    [Fact]
    public void Add_foo_add_bar_remove_foo_set_foobar_follows_the_original_sequence()
    {
        var state = new SourceState("a");

        Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]));
        Assert.Equal(["default/foo@a"], DescribeSorted(state.Services.Items));
        Apply(state, new ServiceUpdate(Operation.Add, [Service("bar")]));
        Assert.Equal(["default/bar@a", "default/foo@a"], DescribeSorted(state.Services.Items));
        Apply(state, new ServiceUpdate(Operation.Remove, [Service("foo")]));
        Assert.Equal(["default/bar@a"], DescribeSorted(state.Services.Items));
        Apply(state, new ServiceUpdate(Operation.Set, [Service("foobar")]));
        Assert.Equal(["default/foobar@a"], DescribeSorted(state.Services.Items));
        Assert.Equal(4, state.Sequence);
    }

    [Fact]
    public void Plan_does_not_change_state_until_committed()
    {
        var state = new SourceState("a");
        var delta = state.Plan(new ServiceUpdate(Operation.Add, [Service("foo")]), Now);

        Assert.Equal(0, state.Services.Count);
        Assert.Equal(0, state.Sequence);
        Assert.Equal(1, delta.Sequence);
        Assert.Equal(0, delta.PreviousSequence);
    }

    [Fact]
    public void Delta_holds_only_what_changed()
    {
        var state = new SourceState("a");
        Apply(state, new ServiceUpdate(Operation.Set, [Service("keep"), Service("edit"), Service("drop")]));

        var delta = Apply(state, new ServiceUpdate(Operation.Set, [Service("keep"), Service("edit", 81), Service("new")]));

        Assert.Equal(["default/edit@a", "default/new@a"], DescribeSorted(delta.UpsertedServices));
        Assert.Equal([new ObjectKey("default", "drop")], delta.RemovedServices);
        Assert.Empty(delta.UpsertedEndpoints);
    }

    [Fact]
    public void Unchanged_update_gives_an_empty_delta_and_keeps_the_sequence()
    {
        var state = new SourceState("a");
        Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]));

        var delta = Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]));

        Assert.True(delta.IsEmpty);
        Assert.Equal(1, state.Sequence);
    }

    [Fact]
    public void Remove_of_an_unknown_key_is_a_no_op()
    {
        var state = new SourceState("a");
        Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]));

        var delta = Apply(state, new ServiceUpdate(Operation.Remove, [Service("nope")]));

        Assert.True(delta.IsEmpty);
        Assert.Equal(["default/foo@a"], DescribeSorted(state.Services.Items));
    }

    [Fact]
    public void Empty_set_clears_only_that_kind()
    {
        var state = new SourceState("a");
        Apply(state, new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [Service("foo")]),
            Endpoints = new EndpointsUpdate(Operation.Add, [Addresses("foo", "10.0.0.1")]),
        });

        Apply(state, new ServiceUpdate(Operation.Set, []));

        Assert.Equal(0, state.Services.Count);
        Assert.Equal(1, state.Endpoints.Count);
    }

    [Fact]
    public void Same_name_in_two_namespaces_are_two_items()
    {
        var state = new SourceState("a");

        Apply(state, new ServiceUpdate(Operation.Add, [Service("web", ns: "a"), Service("web", ns: "b")]));

        Assert.Equal(["a/web@a", "b/web@a"], DescribeSorted(state.Services.Items));
    }

    [Fact]
    public void Add_replaces_existing_endpoints_of_the_same_name()
    {
        var state = new SourceState("a");
        Apply(state, new EndpointsUpdate(Operation.Add, [Addresses("foo", "10.0.0.1", "10.0.0.2")]));

        Apply(state, new EndpointsUpdate(Operation.Add, [Addresses("foo", "10.0.0.3")]));

        var only = Assert.Single(state.Endpoints.Items);
        Assert.Equal("10.0.0.3", Assert.Single(Assert.Single(only.Subsets).Addresses).Ip);
    }

    [Fact]
    public void Items_are_tagged_with_the_source_and_a_foreign_tag_is_replaced()
    {
        var state = new SourceState("mine");
        var foreign = Service("foo").WithSource("theirs");

        Apply(state, new ServiceUpdate(Operation.Add, [foreign]));

        Assert.Equal("mine", Assert.Single(state.Services.Items).Source());
    }

    [Fact]
    public void Update_with_a_revision_older_than_the_applied_one_is_ignored()
    {
        var state = new SourceState("etcd");
        Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 10 });
        Apply(state, new ServiceUpdate(Operation.Remove, [Service("foo")]) { Revision = 12 });

        var stale = Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 11 });

        Assert.True(stale.IsEmpty);
        Assert.Equal(0, state.Services.Count);
        Assert.Equal(12, state.ServicesRevision);
    }

    [Fact]
    public void Revisions_are_tracked_per_kind()
    {
        var state = new SourceState("etcd");
        Apply(state, new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 10 });

        var endpoints = Apply(state, new EndpointsUpdate(Operation.Add, [Addresses("foo", "10.0.0.1")]) { Revision = 10 });

        Assert.Single(endpoints.UpsertedEndpoints);
    }

    [Fact]
    public void Update_at_the_applied_revision_is_applied_so_a_relist_repairs_drift()
    {
        var state = new SourceState("etcd");
        Apply(state, new ServiceUpdate(Operation.Set, [Service("foo")]) { Revision = 10 });
        Apply(state, new ServiceUpdate(Operation.Add, [Service("drift")]));

        var relist = Apply(state, new ServiceUpdate(Operation.Set, [Service("foo")]) { Revision = 10 });

        Assert.Equal([new ObjectKey("default", "drift")], relist.RemovedServices);
        Assert.Equal(["default/foo@etcd"], DescribeSorted(state.Services.Items));
    }
}
