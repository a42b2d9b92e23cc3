using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansConfig.Wire;
using Xunit;

namespace OrleansConfig.Tests.Wire;

public sealed class CompactItemsTests
{
    private static readonly Service Full = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web",
            Namespace = "shop",
            Labels = ValueMap.From(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }),
            Annotations = ValueMap.From(new Dictionary<string, string> { ["orleans-config/source"] = "east", ["note"] = "ünïcode ✓" }),
        },
        Spec = new ServiceSpec
        {
            Type = "LoadBalancer",
            ClusterIP = "10.0.0.1",
            ClusterIPs = ["10.0.0.1", "fd00::1"],
            Ports =
            [
                new ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = 8080, NodePort = 30080, AppProtocol = "http" },
                new ServicePort { Name = "grpc", Protocol = "UDP", Port = 65535, TargetPort = "grpc-port", NodePort = null },
                new ServicePort { Name = "odd", Protocol = "SCTP", Port = -1, TargetPort = new IntOrString { IntValue = 7, StringValue = "both" } },
            ],
            Selector = ValueMap.From(new Dictionary<string, string> { ["app"] = "web" }),
            SessionAffinity = "ClientIP",
            SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 10800 } },
            ExternalIPs = ["192.0.2.1"],
            ExternalName = "web.example.com",
            ExternalTrafficPolicy = "Local",
            InternalTrafficPolicy = "Cluster",
            LoadBalancerIP = "198.51.100.7",
        },
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus
            {
                Ingress = [new LoadBalancerIngress { Ip = "198.51.100.7" }, new LoadBalancerIngress { Hostname = "lb.example.com" }],
            },
        },
    };

    private static readonly Endpoints FullEndpoints = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web",
            Namespace = "shop",
            Labels = ValueMap.From(new Dictionary<string, string> { ["app"] = "web" }),
            Annotations = ValueMap.From(new Dictionary<string, string> { ["orleans-config/source"] = "east" }),
        },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses =
                [
                    new EndpointAddress
                    {
                        Ip = "10.1.0.1", Hostname = "web-0", NodeName = "node-a", Serving = true, Terminating = false, Zone = "z1",
                        ForZones = ["z1", "z2"],
                        TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-0", Uid = "0b6f-11" },
                    },
                    new EndpointAddress { Ip = "fd00::2", TargetRef = new ObjectReference() },
                ],
                NotReadyAddresses =
                [
                    new EndpointAddress { Ip = "10.1.0.9", NodeName = "node-a", Serving = false, Terminating = true, Zone = "z1" },
                ],
                Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }, new EndpointPort { Port = 53, Protocol = "UDP" }],
            },
            new EndpointSubset { Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }] },
        ],
    };

    // Every optional field null or empty, and the non-nullable strings set to what a careless caller could still put there.
    private static readonly Service Bare = new()
    {
        Metadata = new ObjectMeta { Name = "", Namespace = "" },
        Spec = new ServiceSpec { Ports = [new ServicePort { Protocol = null!, Port = 0 }], SessionAffinityConfig = new SessionAffinityConfig() },
        Status = new ServiceStatus(),
    };

    private static readonly Endpoints BareEndpoints = new()
    {
        Metadata = new ObjectMeta { Name = "bare" },
        Subsets = [new EndpointSubset(), new EndpointSubset { Addresses = [new EndpointAddress { Ip = null! }] }],
    };

    [Fact]
    public void Every_field_of_services_and_endpoints_round_trips()
    {
        var (services, endpoints) = ItemReader.Decode(ItemWriter.Encode([Full, Full with { Status = null }], [FullEndpoints]));

        Assert.Equal([Full, Full with { Status = null }], services);
        Assert.Equal([FullEndpoints], endpoints);
    }

    [Fact]
    public void Null_and_empty_fields_round_trip_as_they_were()
    {
        var (services, endpoints) = ItemReader.Decode(ItemWriter.Encode([Bare, new Service()], [BareEndpoints, new Endpoints()]));

        Assert.Equal([Bare, new Service()], services);
        Assert.Equal([BareEndpoints, new Endpoints()], endpoints);
        Assert.Null(services[0].Spec.Ports[0].Protocol);
        Assert.Null(services[0].Spec.Ports[0].TargetPort);
        Assert.Null(services[0].Spec.SessionAffinityConfig!.ClientIP);
        Assert.Null(services[0].Status!.LoadBalancer);
        Assert.Null(services[1].Status);
        Assert.Null(endpoints[0].Subsets[1].Addresses[0].Ip);
    }

    [Fact]
    public void A_string_items_repeat_is_sent_once_and_comes_out_as_one_instance()
    {
        var many = Enumerable.Range(0, 100).Select(i => Full with { Metadata = Full.Metadata with { Name = $"web-{i:00}" } }).ToList();
        var one = ItemWriter.Encode(many[..1], []);
        var two = ItemWriter.Encode(many[..2], []);
        var hundred = ItemWriter.Encode(many, []);

        var (services, _) = ItemReader.Decode(hundred);

        Assert.Equal(many, services);
        // After the first item every repeated string is an index: each further item costs the same, its unique strings
        // (name, IPs, host names: 99 bytes) and numbers, less than the 130 bytes of shared strings the first one sent.
        var further = two.Length - one.Length;
        Assert.Equal(one.Length + 99 * further, hundred.Length);
        Assert.True(further < one.Length - 130, $"{further} bytes for each further item, {one.Length} for the first");
        Assert.Same(services[0].Metadata.Namespace, services[99].Metadata.Namespace);
        Assert.Same(services[0].Metadata.Annotations.Keys.First(), services[99].Metadata.Annotations.Keys.First());
        Assert.Same(services[0].Spec.Ports[0].Protocol, services[99].Spec.Ports[0].Protocol);
        // A map or port list the items hold as one instance (as ItemCompactor leaves them) is sent once and shared again.
        Assert.Same(services[0].Metadata.Labels, services[99].Metadata.Labels);
        Assert.Same(services[0].Spec.Ports, services[99].Spec.Ports);
        Assert.NotSame(services[0].Metadata.Labels, services[0].Spec.Selector);
    }

    [Fact]
    public void A_page_crosses_Orleans_serialization_in_its_compact_form()
    {
        using var provider = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        var page = new UnionSnapshotPage
        {
            Version = new UnionVersion(Guid.NewGuid(), 42),
            Services = [Full, Bare],
            Endpoints = [FullEndpoints, BareEndpoints],
            Continue = "token",
            Total = 9,
        };

        var copy = serializer.Deserialize<UnionSnapshotPage>(serializer.SerializeToArray(page))!;

        Assert.Equal(page.Version, copy.Version);
        Assert.Equal(page.Services, copy.Services);
        Assert.Equal(page.Endpoints, copy.Endpoints);
        Assert.Equal("token", copy.Continue);
        Assert.False(copy.Expired);
        Assert.Equal(9, copy.Total);
        var expired = serializer.Deserialize<UnionSnapshotPage>(serializer.SerializeToArray(new UnionSnapshotPage { Expired = true }))!;
        Assert.True(expired.Expired);
        Assert.Empty(expired.Services);
        Assert.Null(expired.Continue);
    }

    [Fact]
    public void A_received_page_decodes_its_items_once_when_first_read()
    {
        var items = new CompactItems(ItemWriter.Encode([Full, Bare], [FullEndpoints]), 2, 1);
        var page = new UnionSnapshotPage { Services = items.Services, Endpoints = items.Endpoints };

        Assert.Equal(2, page.Services.Count);
        Assert.Single(page.Endpoints);
        CompactItems.Decode(page);

        Assert.Equal([Full, Bare], page.Services);
        using var enumerator = page.Services.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Same(page.Services[0], enumerator.Current);
        Assert.Equal(FullEndpoints, page.Endpoints[0]);
        var wrong = new CompactItems(ItemWriter.Encode([Full], []), 2, 0);
        var error = Assert.Throws<InvalidDataException>(() => wrong.Services[0]);
        Assert.Equal("snapshot page: holds 1 services and 0 endpoints, not the 2 and 0 it was sent with", error.Message);
    }

    [Fact]
    public void Malformed_bytes_are_refused_naming_what_was_being_read()
    {
        var bytes = ItemWriter.Encode([Full], []);

        var cut = Assert.Throws<InvalidDataException>(() => ItemReader.Decode(bytes[..^1]));
        var extra = Assert.Throws<InvalidDataException>(() => ItemReader.Decode([.. bytes, 0]));
        var huge = Assert.Throws<InvalidDataException>(() => ItemReader.Decode([0xFF, 0xFF, 0x03]));

        Assert.Equal("snapshot page: ends inside endpoints", cut.Message);
        Assert.Equal("snapshot page: 1 bytes left after the last item", extra.Message);
        Assert.Equal("snapshot page: services counts 65535 items, more than the page holds", huge.Message);
    }
}
