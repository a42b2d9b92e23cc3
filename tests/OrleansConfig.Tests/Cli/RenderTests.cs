using OrleansConfig.Cli.Output;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class RenderTests
{
    private static Service Service(string ns, string name, string source, ServiceSpec? spec = null, ServiceStatus? status = null) =>
        new Service { Metadata = new ObjectMeta { Namespace = ns, Name = name }, Spec = spec ?? new ServiceSpec(),
            Status = status }.WithSource(source);

    [Fact]
    public void Name_output_is_kind_namespace_name_and_source()
    {
        Assert.Equal("service/default/web@file", Render.Name("service", Service("default", "web", "file")));
        Assert.Equal("endpoints/shop/cart@manual",
            Render.Name("endpoints",
            new Endpoints { Metadata = new ObjectMeta { Namespace = "shop", Name = "cart" } }.WithSource("manual")));
    }

    [Fact]
    public void Name_output_of_an_item_without_a_source_says_none() =>
        Assert.Equal("service/default/web@<none>", Render.Name("service", new Service { Metadata = new ObjectMeta { Name = "web" } }));

    [Fact]
    public void A_wide_services_table_adds_external_ip_and_selector()
    {
        var selector = ValueMap.From([KeyValuePair.Create("tier", "front"), KeyValuePair.Create("app", "web")]);
        var table = Render.ServicesTable(
        [
            Service("default", "web", "file", new ServiceSpec { ClusterIP = "10.0.0.1", Selector = selector, ExternalIPs = ["192.0.2.7"] }),
            Service("default", "lb", "file", new ServiceSpec { Type = "LoadBalancer" }),
            Service("default", "lb2", "file", new ServiceSpec { Type = "LoadBalancer" },
                new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [
                new LoadBalancerIngress { Ip = "198.51.100.1" }] } }),
            Service("default", "ext", "file", new ServiceSpec { Type = "ExternalName", ExternalName = "db.example.com" }),
        ], wide: true);

        Assert.Equal(
            """
            NAMESPACE   NAME   SOURCE   TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)   SELECTOR
            default     web    file     ClusterIP      10.0.0.1     192.0.2.7        <none>    app=web,tier=front
            default     lb     file     LoadBalancer   <none>       <pending>        <none>    <none>
            default     lb2    file     LoadBalancer   <none>       198.51.100.1     <none>    <none>
            default     ext    file     ExternalName   <none>       db.example.com   <none>    <none>

            """.Replace("\r\n", "\n"),
            table);
    }

    [Fact]
    public void A_wide_endpoints_table_shows_every_address_and_the_not_ready_ones()
    {
        var endpoints = new Endpoints
        {
            Metadata = new ObjectMeta { Name = "web" },
            Subsets =
            [
                new EndpointSubset
                {
                    Addresses = [.. Enumerable.Range(1, 4).Select(i => new EndpointAddress { Ip = $"10.0.0.{i}" })],
                    NotReadyAddresses = [new EndpointAddress { Ip = "10.0.0.9" }],
                    Ports = [new EndpointPort { Port = 80 }],
                },
            ],
        }.WithSource("file");

        Assert.Equal(
            "NAMESPACE   NAME   SOURCE   ENDPOINTS\n" +
            "default     web    file     10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...\n",
            Render.EndpointsTable([endpoints]));
        Assert.Equal(
            "NAMESPACE   NAME   SOURCE   ENDPOINTS                                         NOT-READY\n" +
            "default     web    file     10.0.0.1:80,10.0.0.2:80,10.0.0.3:80,10.0.0.4:80   10.0.0.9:80\n",
            Render.EndpointsTable([endpoints], wide: true));
    }

    [Fact]
    public void Terminating_addresses_that_serve_are_endpoints_marked_and_the_rest_are_not_ready()
    {
        var endpoints = new Endpoints
        {
            Metadata = new ObjectMeta { Name = "web" },
            Subsets =
            [
                new EndpointSubset
                {
                    Addresses = [new EndpointAddress { Ip = "10.0.0.2" }],
                    NotReadyAddresses =
                    [
                        new EndpointAddress { Ip = "10.0.0.1", Serving = true, Terminating = true },
                        new EndpointAddress { Ip = "10.0.0.3", Terminating = true },
                        new EndpointAddress { Ip = "10.0.0.4" },
                    ],
                    Ports = [new EndpointPort { Port = 8080 }],
                },
            ],
        }.WithSource("api");

        Assert.Equal(
            "NAMESPACE   NAME   SOURCE   ENDPOINTS\n" +
            "default     web    api      10.0.0.2:8080,10.0.0.1:8080 (terminating)\n",
            Render.EndpointsTable([endpoints]));
        Assert.Equal(
            "NAMESPACE   NAME   SOURCE   ENDPOINTS                                   NOT-READY\n" +
            "default     web    api      10.0.0.2:8080,10.0.0.1:8080 (terminating)   10.0.0.3:8080 (terminating),10.0.0.4:8080\n",
            Render.EndpointsTable([endpoints], wide: true));
    }

    [Fact]
    public void Proxy_list_marks_the_backends_of_a_port_that_fell_back_to_terminating_ones()
    {
        var state = new OrleansConfig.Proxy.ProxyState(1, "127.0.0.1",
        [
            new("shop", "web", "http", "api", "127.0.0.1:30080", ["10.0.0.1:8080", "10.0.0.2:8080"], Terminating: true),
            new("shop", "web", "", "api", "127.0.0.1:30081", ["10.0.0.3:8080"]),
        ]);

        Assert.Equal(
            "NAMESPACE   NAME   PORT-NAME   SOURCE   LISTEN            BACKENDS\n" +
            "shop        web    http        api      127.0.0.1:30080   10.0.0.1:8080 (terminating),10.0.0.2:8080 (terminating)\n" +
            "shop        web    <unset>     api      127.0.0.1:30081   10.0.0.3:8080\n",
            ProxyRender.Table(state));
        Assert.Contains("\"terminating\":true", ProxyRender.Json(state), StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(ProxyRender.Json(state), "terminating"));
    }

    [Fact]
    public void With_several_kinds_names_carry_their_kind() =>
        Assert.Contains("service/web", Render.ServicesTable([Service("default", "web", "file")], prefixNames: true));
}
