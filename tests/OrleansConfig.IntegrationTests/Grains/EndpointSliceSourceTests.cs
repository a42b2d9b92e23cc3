using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Grains;

/// <summary>EndpointSlices sent to a source grain reach the union as their Services' merged Endpoints.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EndpointSliceSourceTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Client;

    private static EndpointSlice Slice(string name, string type, params string[] ips) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = "shop", Labels = ValueMap.From([KeyValuePair.Create(EndpointSlice.ServiceNameLabel, "web")]),
        },
        AddressType = type,
        Endpoints = ValueList.Create(ips.Select(ip => new SliceEndpoint
        {
            Addresses = [ip], Conditions = new EndpointConditions { Ready = !ip.EndsWith('9'), Serving = true },
        }).ToArray()),
        Ports = [new EndpointPort { Name = "http", Port = 8080 }],
    };

    private async Task<Endpoints[]> UnionEndpoints(string source)
    {
        var snapshot = await _grains.GetAggregator().GetSnapshot();
        return [.. snapshot.Endpoints.Where(e => e.Source() == source)];
    }

    [Fact]
    public async Task Slices_reach_the_union_merged_and_a_removed_slice_takes_only_its_addresses()
    {
        var source = fixture.NewPrefix() + "a";
        var grain = _grains.GetSource(source);
        var port = new EndpointPort { Name = "http", Port = 8080 };

        var added = await grain.Apply(new EndpointSliceUpdate(Operation.Add,
            [Slice("web-1", "IPv4", "10.0.0.1", "10.0.0.9"), Slice("web-2", "IPv4", "10.0.0.2"), Slice("web-6", "IPv6", "fd00::1")]));
        var union = await UnionEndpoints(source);
        var removed = await grain.Apply(new EndpointSliceUpdate(Operation.Remove, [Slice("web-1", "IPv4")]));
        var after = await UnionEndpoints(source);

        Assert.True(added.Accepted, string.Join("; ", added.Errors));
        Assert.Equal(
            [new Endpoints
            {
                Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
                Subsets = [new EndpointSubset
                {
                    Addresses = [new EndpointAddress { Ip = "10.0.0.1" }, new EndpointAddress { Ip = "10.0.0.2" }, new EndpointAddress { Ip = "fd00::1" }],
                    NotReadyAddresses = [new EndpointAddress { Ip = "10.0.0.9", Serving = true }],
                    Ports = [port],
                }],
            }.WithSource(source)],
            union);
        Assert.True(removed.Changed);
        Assert.Equal(["10.0.0.2", "fd00::1"], after.Single().Subsets.Single().Addresses.Select(a => a.Ip));
        Assert.Empty(after.Single().Subsets.Single().NotReadyAddresses);
        Assert.Equal(["shop/web-2", "shop/web-6"], (await grain.GetSnapshot()).EndpointSlices.Select(s => s.Key().ToString()).Order());
    }

    [Fact]
    public async Task The_last_slice_removed_removes_the_endpoints_and_a_bad_slice_is_refused_by_field()
    {
        var source = fixture.NewPrefix() + "a";
        var grain = _grains.GetSource(source);
        await grain.Apply(new EndpointSliceUpdate(Operation.Add, [Slice("web-1", "IPv4", "10.0.0.1")]));

        var refused = await grain.Apply(new EndpointSliceUpdate(Operation.Add, [Slice("web-2", "IPv4", "127.0.0.1")]));
        await grain.Apply(new EndpointSliceUpdate(Operation.Remove, [Slice("web-1", "IPv4")]));

        Assert.False(refused.Accepted);
        Assert.Equal(
            [new FieldError("endpointSlices[0].endpoints[0].addresses[0]",
                "may not be in the loopback range (127.0.0.0/8, ::1/128), got \"127.0.0.1\"")],
            refused.Errors);
        Assert.Empty(await UnionEndpoints(source));
        Assert.Empty((await grain.GetSnapshot()).EndpointSlices);
    }
}
