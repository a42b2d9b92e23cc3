using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>A slice kind's state: slices kept per Service, and only the Services whose merged Endpoints changed sent.</summary>
public sealed class ApiSliceStateTests
{
    private static readonly EndpointPort Http = new() { Name = "http", Port = 8080, Protocol = "TCP" };

    internal static EndpointSlice Slice(string name, string service, string type, params (string Ip, bool Ready)[] endpoints) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = "shop",
            Name = name,
            Labels = ValueMap.From(new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = service }),
        },
        AddressType = type,
        Endpoints = [.. endpoints.Select(e => new SliceEndpoint
        {
            Addresses = [e.Ip],
            Conditions = new EndpointConditions { Ready = e.Ready, Serving = true, Terminating = !e.Ready },
            NodeName = "node-1",
        })],
        Ports = [Http],
    };

    private static EndpointAddress Address(string ip, bool ready) => new()
    {
        Ip = ip,
        NodeName = "node-1",
        // Serving while not ready: kept, as it differs from the v1 reading; terminating when not ready.
        Serving = ready ? null : true,
        Terminating = ready ? null : true,
    };

    private static Endpoints Endpoints(string service, (string Ip, bool Ready)[] addresses) => new()
    {
        Metadata = new ObjectMeta { Namespace = "shop", Name = service },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses = [.. addresses.Where(a => a.Ready).Select(a => Address(a.Ip, true))],
                NotReadyAddresses = [.. addresses.Where(a => !a.Ready).Select(a => Address(a.Ip, false))],
                Ports = [Http],
            },
        ],
    };

    private static string[] Describe(IReadOnlyList<SourceUpdate> updates) =>
        [.. updates.Select(u =>
            $"{u.Endpoints!.Op} {string.Join(",", u.Endpoints.Endpoints.Select(e => e.Key().ToString()))} @{u.Endpoints.Revision}")];

    private static ApiSliceState Listed(params EndpointSlice[] slices)
    {
        var state = new ApiSliceState();
        state.Relist(slices);
        state.TakeUpdates(1);
        state.Sent();
        return state;
    }

    [Fact]
    public void A_services_slices_of_both_address_types_merge_into_its_endpoints_and_each_service_is_sent_once()
    {
        var state = new ApiSliceState();
        state.Relist([
            Slice("web-v4a", "web", "IPv4", ("10.0.0.2", true), ("10.0.0.1", false)),
            Slice("web-v4b", "web", "IPv4", ("10.0.0.3", true)),
            Slice("web-v6", "web", "IPv6", ("fd00::1", true)),
            Slice("db-1", "db", "IPv4", ("10.0.1.1", true)),
        ]);

        var updates = state.TakeUpdates(7);

        Assert.Equal(["Add shop/db,shop/web @7"], Describe(updates));
        var web = updates[0].Endpoints!.Endpoints[1];
        Assert.Equal(Endpoints("web", [("10.0.0.1", false), ("10.0.0.2", true), ("10.0.0.3", true), ("fd00::1", true)]), web);
        Assert.Equal(updates[0].Endpoints!.Endpoints, state.All());
        Assert.Equal(2, state.Services);
    }

    [Fact]
    public void A_slice_event_sends_only_its_services_endpoints()
    {
        var state = Listed(Slice("web-1", "web", "IPv4", ("10.0.0.1", true)), Slice("db-1", "db", "IPv4", ("10.0.1.1", true)));

        state.Change(new ObjectKey("shop", "web-2"), Slice("web-2", "web", "IPv4", ("10.0.0.2", true)));
        var updates = state.TakeUpdates(8);
        state.Sent();

        Assert.Equal(["Add shop/web @8"], Describe(updates));
        Assert.Equal(Endpoints("web", [("10.0.0.1", true), ("10.0.0.2", true)]), updates[0].Endpoints!.Endpoints[0]);
    }

    [Fact]
    public void An_address_moving_between_slices_stays_once_and_ready_wins_while_both_list_it()
    {
        var state = Listed(Slice("web-1", "web", "IPv4", ("10.0.0.1", true), ("10.0.0.2", true)), Slice("web-2", "web", "IPv4"));

        // The controller adds the address to its new slice first (not ready there yet), then drops it from the old one.
        state.Change(new ObjectKey("shop", "web-2"), Slice("web-2", "web", "IPv4", ("10.0.0.2", false)));
        Assert.Empty(state.TakeUpdates(9));
        state.Sent();
        state.Change(new ObjectKey("shop", "web-1"), Slice("web-1", "web", "IPv4", ("10.0.0.1", true)));
        var updates = state.TakeUpdates(10);

        Assert.Equal(Endpoints("web", [("10.0.0.1", true), ("10.0.0.2", false)]), Assert.Single(updates).Endpoints!.Endpoints[0]);
    }

    [Fact]
    public void A_deleted_slice_removes_only_its_addresses_and_the_last_one_removes_the_endpoints()
    {
        var state = Listed(Slice("web-1", "web", "IPv4", ("10.0.0.1", true)), Slice("web-2", "web", "IPv6", ("fd00::2", true)));

        state.Change(new ObjectKey("shop", "web-2"), null);
        var first = state.TakeUpdates(11);
        state.Sent();
        state.Change(new ObjectKey("shop", "web-1"), null);
        var last = state.TakeUpdates(12);
        state.Sent();

        Assert.Equal(Endpoints("web", [("10.0.0.1", true)]), Assert.Single(first).Endpoints!.Endpoints[0]);
        Assert.Equal(["Remove shop/web @12"], Describe(last));
        Assert.Empty(state.All());
        Assert.Equal(0, state.Services);
    }

    [Fact]
    public void A_relist_sends_only_what_changed_and_nothing_for_an_unchanged_service()
    {
        var state = Listed(
            Slice("web-1", "web", "IPv4", ("10.0.0.1", true)),
            Slice("db-1", "db", "IPv4", ("10.0.1.1", true)),
            Slice("old-1", "old", "IPv4", ("10.0.2.1", true)));

        // The same slices under new names (a recreated slice) merge the same: db is not sent.
        state.Relist([
            Slice("web-1", "web", "IPv4", ("10.0.0.1", true), ("10.0.0.9", true)),
            Slice("db-x", "db", "IPv4", ("10.0.1.1", true)),
            Slice("new-1", "new", "IPv4", ("10.0.3.1", true)),
        ]);
        var updates = state.TakeUpdates(20);
        state.Sent();

        Assert.Equal(["Remove shop/old @20", "Add shop/new,shop/web @20"], Describe(updates));
        state.Relist([
            Slice("web-1", "web", "IPv4", ("10.0.0.1", true), ("10.0.0.9", true)),
            Slice("db-x", "db", "IPv4", ("10.0.1.1", true)),
            Slice("new-1", "new", "IPv4", ("10.0.3.1", true)),
        ]);
        Assert.Empty(state.TakeUpdates(21));
    }

    [Fact]
    public void Updates_not_applied_are_sent_again_with_the_next_change()
    {
        var state = Listed(Slice("web-1", "web", "IPv4", ("10.0.0.1", true)));

        state.Change(new ObjectKey("shop", "web-1"), Slice("web-1", "web", "IPv4", ("10.0.0.2", true)));
        Assert.Single(state.TakeUpdates(30));
        // Applying failed (no Sent): a relist still finds web changed.
        state.Relist([Slice("web-1", "web", "IPv4", ("10.0.0.2", true))]);

        Assert.Equal(["Add shop/web @31"], Describe(state.TakeUpdates(31)));
    }

    [Fact]
    public void A_slice_relabelled_to_another_service_leaves_its_old_one()
    {
        var state = Listed(Slice("s-1", "web", "IPv4", ("10.0.0.1", true)), Slice("s-2", "web", "IPv4", ("10.0.0.2", true)));

        state.Change(new ObjectKey("shop", "s-2"), Slice("s-2", "api", "IPv4", ("10.0.0.2", true)));

        Assert.Equal(["Add shop/api,shop/web @40"], Describe(state.TakeUpdates(40)));
        Assert.Equal(
            [Endpoints("api", [("10.0.0.2", true)]), Endpoints("web", [("10.0.0.1", true)])],
            state.All());
    }

    [Fact]
    public void An_fqdn_slice_adds_no_address()
    {
        var state = new ApiSliceState();
        state.Relist([Slice("ext-1", "ext", "FQDN", ("db.example.com", true)), Slice("ext-2", "ext", "IPv4", ("10.0.5.1", true))]);

        var ext = Assert.Single(Assert.Single(state.TakeUpdates(50)).Endpoints!.Endpoints);

        Assert.Equal(Endpoints("ext", [("10.0.5.1", true)]), ext);
    }
}
