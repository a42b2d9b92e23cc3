using System.Net;
using OrleansConfig.Client;
using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

public sealed class ProxyPlannerTests
{
    private static readonly ProxyPlanner Planner = new();

    private static string[] Backends(ProxyPlan plan, ServicePortName name) => [.. plan.Ports[name].Backends.Select(b => b.ToString())];

    [Fact]
    public void Every_TCP_port_is_proxied_to_the_ready_addresses_at_the_endpoint_port_of_the_same_name()
    {
        var service =
            Sourced("default", "web", "file", Tcp(80, "http"), Tcp(443, "https"),
            new ServicePort { Name = "dns", Port = 53, Protocol = "UDP" });
        var endpoints = SourcedEndpoints("default", "web", "file", new EndpointSubset
        {
            Addresses = [new EndpointAddress { Ip = "10.0.0.2" }, new EndpointAddress { Ip = "10.0.0.1" }],
            NotReadyAddresses = [new EndpointAddress { Ip = "10.0.0.9" }],
            Ports = [EndpointPort(8443, "https"), EndpointPort(8080, "http"), EndpointPort(53, "dns", "UDP")],
        });

        var plan = Planner.Plan([service], [endpoints]);

        Assert.Equal([Port("default", "web", "http"), Port("default", "web", "https")], plan.Ports.Keys);
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], Backends(plan, Port("default", "web", "http")));
        Assert.Equal(["10.0.0.1:8443", "10.0.0.2:8443"], Backends(plan, Port("default", "web", "https")));
        Assert.Equal("file", plan.Ports[Port("default", "web", "http")].Source);
    }

    [Fact]
    public void A_port_with_no_ready_address_falls_back_to_its_serving_and_terminating_ones()
    {
        var service = Sourced("default", "web", "file", Tcp(80, "http"), Tcp(443, "https"));
        var endpoints = SourcedEndpoints("default", "web", "file",
            SubsetWithNotReady(["10.0.0.1"], [TerminatingAddress("10.0.0.2")], EndpointPort(8080, "http")),
            SubsetWithNotReady(
                [], [TerminatingAddress("10.0.0.2"), TerminatingAddress("10.0.0.3", serving: false)], EndpointPort(8443, "https")));

        var plan = Planner.Plan([service], [endpoints]);

        Assert.Equal(["10.0.0.1:8080"], Backends(plan, Port("default", "web", "http")));
        Assert.False(plan.Ports[Port("default", "web", "http")].Terminating);
        Assert.Equal(["10.0.0.2:8443"], Backends(plan, Port("default", "web", "https")));
        Assert.True(plan.Ports[Port("default", "web", "https")].Terminating);
    }

    [Fact]
    public void The_unnamed_service_port_takes_the_unnamed_endpoint_port()
    {
        var plan = Planner.Plan(
            [Sourced("default", "db", "file", Tcp(5432))],
            [SourcedEndpoints("default", "db", "file", Subset(["10.0.0.1"], EndpointPort(5433)))]);

        Assert.Equal(["10.0.0.1:5433"], Backends(plan, Port("default", "db")));
    }

    [Fact]
    public void Subsets_without_a_port_of_that_name_contribute_nothing()
    {
        var plan = Planner.Plan(
            [Sourced("default", "web", "file", Tcp(80, "http"))],
            [SourcedEndpoints("default", "web", "file",
                Subset(["10.0.0.1"], EndpointPort(8080, "http")),
                Subset(["10.0.0.2"], EndpointPort(9090, "metrics")),
                Subset(["10.0.0.3"], EndpointPort(8081)))]);

        Assert.Equal(["10.0.0.1:8080"], Backends(plan, Port("default", "web", "http")));
    }

    [Fact]
    public void Backends_of_all_subsets_are_merged_in_rotation_order_without_duplicates()
    {
        var plan = Planner.Plan(
            [Sourced("default", "web", "file")],
            [LoopbackEndpoints("default", "web", "file", 9003, 9001, 9002, 9001)]);

        Assert.Equal(["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"], Backends(plan, Port("default", "web")));
    }

    [Fact]
    public void A_service_with_no_endpoints_is_listened_for_with_no_backends()
    {
        var plan = Planner.Plan([Sourced("default", "web", "file")], []);

        Assert.Empty(plan.Ports[Port("default", "web")].Backends);
    }

    [Fact]
    public void Endpoints_without_a_service_are_not_proxied()
    {
        var plan = Planner.Plan([], [LoopbackEndpoints("default", "web", "file", 9001)]);

        Assert.Empty(plan.Ports);
    }

    [Fact]
    public void The_node_port_is_the_listen_port_and_a_port_without_one_gets_an_ephemeral_port()
    {
        var plan = Planner.Plan([Sourced("default", "web", "file", Tcp(80, "http", nodePort: 30080), Tcp(81, "admin"))], []);

        Assert.Equal(30080, plan.Ports[Port("default", "web", "http")].ListenPort);
        Assert.Equal(0, plan.Ports[Port("default", "web", "admin")].ListenPort);
    }

    [Fact]
    public void The_namespace_option_keeps_only_that_namespaces_services_and_endpoints()
    {
        var planner = new ProxyPlanner("shop");

        var plan = planner.Plan(
            [Sourced("default", "web", "file"), Sourced("shop", "cart", "file")],
            [LoopbackEndpoints("default", "cart", "file", 9001), LoopbackEndpoints("shop", "cart", "file", 9002)]);

        Assert.Equal([Port("shop", "cart")], plan.Ports.Keys);
        Assert.Equal(["127.0.0.1:9002"], Backends(plan, Port("shop", "cart")));
    }

    [Fact]
    public void A_service_from_several_sources_is_taken_from_the_first_in_priority_order_with_that_sources_endpoints()
    {
        var planner = new ProxyPlanner(priority: new SourcePriority(["manual", "etcd"]));

        var plan = planner.Plan(
            [Sourced("default", "web", "etcd", Tcp(80, nodePort: 30001)), Sourced("default", "web", "file", Tcp(80, nodePort: 30002)),
                Sourced("default", "web", "manual", Tcp(80, nodePort: 30003))],
            [LoopbackEndpoints("default", "web", "etcd", 9001), LoopbackEndpoints("default", "web", "file", 9002),
                LoopbackEndpoints("default", "web", "manual", 9003)]);

        var web = plan.Ports[Port("default", "web")];
        Assert.Equal(("manual", 30003), (web.Source, web.ListenPort));
        Assert.Equal(["127.0.0.1:9003"], Backends(plan, Port("default", "web")));
        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(new ServiceConflict(Key("default", "web"), "manual", ["manual", "etcd", "file"]), conflict);
    }

    [Fact]
    public void Without_a_priority_for_them_the_alphabetically_first_source_wins()
    {
        var planner = new ProxyPlanner(priority: new SourcePriority(["other"]));

        var plan = planner.Plan(
            [Sourced("default", "web", "file"), Sourced("default", "web", "etcd")],
            [LoopbackEndpoints("default", "web", "file", 9002)]);

        Assert.Equal("etcd", plan.Ports[Port("default", "web")].Source);
        Assert.Empty(plan.Ports[Port("default", "web")].Backends);
        Assert.Equal("etcd", Assert.Single(plan.Conflicts).Chosen);
    }

    [Fact]
    public void A_service_from_one_source_is_no_conflict_even_when_others_publish_its_endpoints()
    {
        var plan = Planner.Plan(
            [Sourced("default", "web", "file")],
            [LoopbackEndpoints("default", "web", "etcd", 9001), LoopbackEndpoints("default", "web", "file", 9002)]);

        Assert.Empty(plan.Conflicts);
        Assert.Equal(["127.0.0.1:9002"], Backends(plan, Port("default", "web")));
    }

    [Fact]
    public void ExternalName_and_headless_services_are_not_proxied()
    {
        var plan = Planner.Plan(
            [
                Sourced("default", "external", "file").WithSpec(s => s with { Type = "ExternalName", ExternalName = "example.com" }),
                Sourced("default", "headless", "file").WithSpec(s => s with { ClusterIP = "None" }),
                Sourced("default", "web", "file").WithSpec(s => s with { ClusterIP = "10.96.0.10" }),
            ],
            []);

        Assert.Equal([Port("default", "web")], plan.Ports.Keys);
    }

    [Fact]
    public void ClientIP_affinity_takes_the_services_timeout_or_three_hours()
    {
        var plan = Planner.Plan(
            [
                Sourced("default", "a", "file")
                    .WithSpec(s =>
                    s with { SessionAffinity = "ClientIP", SessionAffinityConfig = new() { ClientIP = new() { TimeoutSeconds = 60 } } }),
                Sourced("default", "b", "file").WithSpec(s => s with { SessionAffinity = "ClientIP" }),
                Sourced("default", "c", "file").WithSpec(s => s with { SessionAffinity = "None" }),
            ],
            []);

        Assert.Equal(SessionAffinity.ClientIP(TimeSpan.FromSeconds(60)), plan.Ports[Port("default", "a")].Affinity);
        Assert.Equal(SessionAffinity.ClientIP(TimeSpan.FromHours(3)), plan.Ports[Port("default", "b")].Affinity);
        Assert.Equal(SessionAffinity.None, plan.Ports[Port("default", "c")].Affinity);
    }

    [Fact]
    public void Addresses_that_are_not_IPs_are_left_out()
    {
        var plan = Planner.Plan(
            [Sourced("default", "web", "file")],
            [SourcedEndpoints("default", "web", "file", Subset(["10.0.0.1", "not-an-ip"], EndpointPort(8080)))]);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 8080)], plan.Ports[Port("default", "web")].Backends);
    }
}
