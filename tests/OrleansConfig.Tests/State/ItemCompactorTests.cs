using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class ItemCompactorTests
{
    private static Service Full(string name, string source) => new Service
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = new string("shop".ToCharArray()),
            Labels = ValueMap.From([new("app", name)]),
            Annotations = ValueMap.From([new(new string("team".ToCharArray()), "payments")]),
        },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = "10.96.0.10",
            ClusterIPs = ValueList.From(Array.Empty<string>().Append("10.96.0.10")),
            Ports = [new ServicePort { Name = new string("http".ToCharArray()), Port = 80, TargetPort = "web" }],
            Selector = ValueMap.From([new("app", name)]),
            SessionAffinity = "ClientIP",
            SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 30 } },
        },
        Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { Ip = "192.0.2.1" }] } },
    }.WithSource(source);

    private static Endpoints Backends(string name, string source) => new Endpoints
    {
        Metadata = new ObjectMeta { Name = name, Namespace = new string("shop".ToCharArray()) },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses =
                [
                    new EndpointAddress { Ip = "10.0.0.1", NodeName = new string("node-1".ToCharArray()), Zone = "a", ForZones = ["a"] },
                    new EndpointAddress
                    {
                        Ip = "10.0.0.2", Hostname = "b", TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "p" },
                    },
                ],
                NotReadyAddresses = [new EndpointAddress { Ip = "10.0.0.3", Serving = true, Terminating = true }],
                Ports = [new EndpointPort { Name = new string("http".ToCharArray()), Port = 8080 }],
            },
        ],
    }.WithSource(source);

    [Fact]
    public void A_compacted_item_equals_the_original_field_for_field()
    {
        var compactor = new ItemCompactor();
        var service = Full("cart", "etcd");
        var endpoints = Backends("cart", "etcd");

        var compactService = compactor.Compact(service);
        var compactEndpoints = compactor.Compact(endpoints);

        Assert.Equal(service, compactService);
        Assert.Equal(service.GetHashCode(), compactService.GetHashCode());
        Assert.Equal(endpoints, compactEndpoints);
        Assert.Equal(Manifest.ToJson([service], []), Manifest.ToJson([compactService], []));
        Assert.Equal(Manifest.ToJson([], [endpoints]), Manifest.ToJson([], [compactEndpoints]));
    }

    [Fact]
    public void Items_of_different_sources_share_their_equal_parts_and_still_compare_as_before()
    {
        var compactor = new ItemCompactor();
        var fromA = compactor.Compact(Full("cart", "a"));
        var fromB = compactor.Compact(Full("cart", "b"));
        var other = compactor.Compact(Full("shop", "a"));

        Assert.NotEqual(fromA, fromB);
        Assert.Equal("a", fromA.Source());
        Assert.Equal("b", fromB.Source());
        Assert.Equal(fromA, Full("cart", "a"));
        Assert.Same(fromA.Metadata.Namespace, fromB.Metadata.Namespace);
        Assert.Same(fromA.Spec.Ports, fromB.Spec.Ports);
        Assert.Same(fromA.Spec.Selector, fromB.Spec.Selector);
        // A map of annotations is shared from its second sighting on.
        var third = compactor.Compact(Full("pay", "a"));
        Assert.Same(other.Metadata.Annotations, third.Metadata.Annotations);
        Assert.NotSame(other.Metadata.Annotations, compactor.Compact(Full("pay", "b")).Metadata.Annotations);
        var endpointsA = compactor.Compact(Backends("cart", "a"));
        var endpointsB = compactor.Compact(Backends("cart", "b"));
        Assert.Same(endpointsA.Subsets[0].Ports, endpointsB.Subsets[0].Ports);
        Assert.Same(endpointsA.Subsets[0].Addresses[0].NodeName, endpointsB.Subsets[0].Addresses[0].NodeName);
        Assert.Equal(Backends("cart", "a"), endpointsA);
    }

    [Fact]
    public void Annotations_unique_to_one_write_are_not_held_by_the_table()
    {
        var compactor = new ItemCompactor();
        compactor.Compact(Full("cart", "a"));
        var before = compactor.Count;

        for (var i = 0; i < 10_000; i++)
        {
            var stamped = Full("cart", "a").Annotated("written", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(stamped, compactor.Compact(stamped));
        }

        // The item's other parts were pooled by the first; ten thousand distinct stamps added nothing.
        Assert.Equal(before, compactor.Count);
    }

    [Fact]
    public void Empty_lists_and_maps_become_the_shared_empty_ones()
    {
        var compactor = new ItemCompactor();
        // What deserializing an empty list gives: an empty list of its own.
        var service = Service("web") with { Spec = new ServiceSpec { ExternalIPs = new ValueList<string>([]) } };

        var compact = compactor.Compact(service);

        Assert.NotSame(ValueList<string>.Empty, service.Spec.ExternalIPs);
        Assert.Same(ValueList<string>.Empty, compact.Spec.ExternalIPs);
        Assert.Same(ValueMap.Empty, compact.Metadata.Labels);
        Assert.Equal(service, compact);
    }

    [Fact]
    public void The_table_is_bounded_and_starts_again_when_full()
    {
        var compactor = new ItemCompactor(capacity: 10);

        for (var i = 0; i < 50; i++) compactor.Compact(Full($"s{i}", "a"));

        Assert.InRange(compactor.Count, 1, 10);
    }

    [Fact]
    public void A_source_state_keeps_the_compacted_items_it_planned()
    {
        var state = new SourceState("a");
        var delta = state.Plan(new SourceUpdate { Services = new ServiceUpdate(Operation.Add, [Full("cart", "ignored")]) }, DateTimeOffset.UnixEpoch);
        state.Commit(delta);

        var held = Assert.Single(state.Services.Items);
        Assert.Same(delta.UpsertedServices[0], held);
        Assert.Equal(Full("cart", "a"), held);
        Assert.Same(ItemCompactor.Shared.Compact(Full("x", "a")).Metadata.Namespace, held.Metadata.Namespace);
    }
}
