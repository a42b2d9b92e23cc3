using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class SourceStateSliceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    internal static EndpointSlice Slice(string name, string service, string type, params string[] ips) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = "shop", Labels = ValueMap.From([KeyValuePair.Create(EndpointSlice.ServiceNameLabel, service)]),
        },
        AddressType = type,
        Endpoints = ValueList.Create(ips.Select(ip => new SliceEndpoint { Addresses = [ip] }).ToArray()),
        Ports = [new EndpointPort { Name = "http", Port = 8080 }],
    };

    private static Endpoints Merged(string service, params string[] ips) => new Endpoints
    {
        Metadata = new ObjectMeta { Name = service, Namespace = "shop" },
        Subsets = [new EndpointSubset { Addresses = ValueList.Create(ips.Select(ip => new EndpointAddress { Ip = ip }).ToArray()),
            Ports = [new EndpointPort { Name = "http", Port = 8080 }] }],
    }.WithSource("a");

    private static (SourceDelta Delta, SliceChange Slices) Apply(SourceState state, SourceUpdate update)
    {
        var delta = state.Plan(update, Now, out var slices);
        state.Commit(delta, slices);
        state.NoteRevisions(update);
        return (delta, slices);
    }

    private static SourceUpdate Add(params EndpointSlice[] slices) => new EndpointSliceUpdate(Operation.Add, slices);

    private static SourceUpdate Remove(params EndpointSlice[] slices) => new EndpointSliceUpdate(Operation.Remove, slices);

    [Fact]
    public void Slices_of_both_address_types_merge_into_their_services_endpoints()
    {
        var state = new SourceState("a");

        var (delta, slices) = Apply(state, Add(Slice("web-v4", "web", "IPv4", "10.0.0.2", "10.0.0.1"), Slice("web-v6", "web", "IPv6", "fd00::1")));

        Assert.Equal([Merged("web", "10.0.0.1", "10.0.0.2", "fd00::1")], delta.UpsertedEndpoints);
        Assert.Empty(delta.RemovedEndpoints);
        Assert.Equal(["shop/web-v4@a", "shop/web-v6@a"], DescribeSorted(slices.UpsertedSlices));
        Assert.Equal(1, state.Sequence);
        Assert.Equal([Merged("web", "10.0.0.1", "10.0.0.2", "fd00::1")], state.ToSnapshot().Endpoints);
        Assert.Equal(["shop/web-v4@a", "shop/web-v6@a"], DescribeSorted(state.ToSnapshot().EndpointSlices));
    }

    [Fact]
    public void A_slice_removed_removes_only_its_addresses_and_the_last_one_removes_the_endpoints()
    {
        var state = new SourceState("a");
        Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1"), Slice("web-2", "web", "IPv4", "10.0.0.2")));

        var (first, firstSlices) = Apply(state, Remove(Slice("web-1", "web", "IPv4")));
        var (last, _) = Apply(state, Remove(Slice("web-2", "web", "IPv4")));

        Assert.Equal([Merged("web", "10.0.0.2")], first.UpsertedEndpoints);
        Assert.Equal([new ObjectKey("shop", "web-1")], firstSlices.RemovedSlices);
        Assert.Empty(last.UpsertedEndpoints);
        Assert.Equal([new ObjectKey("shop", "web")], last.RemovedEndpoints);
        Assert.Equal(0, state.Endpoints.Count);
        Assert.Equal(0, state.Slices.Count);
    }

    [Fact]
    public void An_address_moving_between_slices_in_one_change_leaves_the_endpoints_unchanged()
    {
        var state = new SourceState("a");
        Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1", "10.0.0.3"), Slice("web-2", "web", "IPv4", "10.0.0.2")));

        var (delta, slices) = Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1"), Slice("web-2", "web", "IPv4", "10.0.0.2", "10.0.0.3")));

        // The slices changed (and are stored); the union sees nothing, so the sequence stays.
        Assert.True(delta.IsEmpty);
        Assert.Equal(2, slices.UpsertedSlices.Count);
        Assert.Equal(1, state.Sequence);
        Assert.Equal(["10.0.0.3"], state.Slices.Get(new ObjectKey("shop", "web-2"))!.Endpoints.Skip(1).Select(e => e.Addresses[0]));
    }

    [Fact]
    public void A_change_touches_only_the_services_whose_slices_change()
    {
        var state = new SourceState("a");
        Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1"), Slice("db-1", "db", "IPv4", "10.0.1.1")));

        var (delta, _) = Apply(state, Add(Slice("db-2", "db", "IPv4", "10.0.1.2")));
        var (moved, _) = Apply(state, Add(Slice("db-2", "web", "IPv4", "10.0.1.2")));

        Assert.Equal([Merged("db", "10.0.1.1", "10.0.1.2")], delta.UpsertedEndpoints);
        // A slice relabelled to another Service takes its addresses with it.
        Assert.Equal([Merged("db", "10.0.1.1"), Merged("web", "10.0.0.1", "10.0.1.2")], moved.UpsertedEndpoints);
    }

    [Fact]
    public void A_set_of_slices_removes_the_slices_it_leaves_out()
    {
        var state = new SourceState("a");
        Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1"), Slice("db-1", "db", "IPv4", "10.0.1.1")));

        var (delta, slices) = Apply(state, new EndpointSliceUpdate(Operation.Set, [Slice("web-1", "web", "IPv4", "10.0.0.1")]));

        Assert.Empty(delta.UpsertedEndpoints);
        Assert.Equal([new ObjectKey("shop", "db")], delta.RemovedEndpoints);
        Assert.Equal([new ObjectKey("shop", "db-1")], slices.RemovedSlices);
    }

    [Fact]
    public void Slices_win_over_v1_endpoints_of_the_same_service_which_come_back_when_the_slices_go()
    {
        var state = new SourceState("a");
        var v1 = Endpoints("web", "shop", "10.9.9.9").WithSource("a");
        Apply(state, new EndpointsUpdate(Operation.Add, [Endpoints("web", "shop", "10.9.9.9")]));

        var (sliced, slicedChange) = Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1")));
        var (hidden, hiddenChange) = Apply(state, new EndpointsUpdate(Operation.Add, [Endpoints("web", "shop", "10.8.8.8")]));
        var (back, backChange) = Apply(state, Remove(Slice("web-1", "web", "IPv4")));

        Assert.Equal([Merged("web", "10.0.0.1")], sliced.UpsertedEndpoints);
        Assert.Equal([v1], slicedChange.UpsertedShadowed);
        // A v1 change to a sliced Service is kept aside: the union does not see it.
        Assert.True(hidden.IsEmpty);
        Assert.Equal([Endpoints("web", "shop", "10.8.8.8").WithSource("a")], hiddenChange.UpsertedShadowed);
        Assert.Equal([Endpoints("web", "shop", "10.8.8.8").WithSource("a")], back.UpsertedEndpoints);
        Assert.Equal([new ObjectKey("shop", "web")], backChange.RemovedShadowed);
        Assert.Equal(0, state.Shadowed.Count);
    }

    [Fact]
    public void A_v1_set_leaves_merged_endpoints_alone_and_drops_shadowed_ones_it_omits()
    {
        var state = new SourceState("a");
        Apply(state, new EndpointsUpdate(Operation.Add, [Endpoints("web", "shop", "10.9.9.9"), Endpoints("db", "shop", "10.7.7.7")]));
        Apply(state, Add(Slice("web-1", "web", "IPv4", "10.0.0.1")));

        var (delta, slices) = Apply(state, new EndpointsUpdate(Operation.Set, [Endpoints("db", "shop", "10.7.7.7")]));

        Assert.True(delta.IsEmpty);
        Assert.Equal([new ObjectKey("shop", "web")], slices.RemovedShadowed);
        Assert.Equal([Merged("web", "10.0.0.1")], state.Endpoints.Items.Where(e => e.Metadata.Name == "web"));
    }

    [Fact]
    public void A_stale_slice_revision_is_ignored()
    {
        var state = new SourceState("a");
        Apply(state, new EndpointSliceUpdate(Operation.Add, [Slice("web-1", "web", "IPv4", "10.0.0.1")]) { Revision = 5 });

        var (delta, slices) = Apply(state, new EndpointSliceUpdate(Operation.Remove, [Slice("web-1", "web", "IPv4")]) { Revision = 4 });

        Assert.True(delta.IsEmpty);
        Assert.True(slices.IsEmpty);
        Assert.Equal(5, state.EndpointSlicesRevision);
    }
}
