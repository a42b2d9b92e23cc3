using Xunit;
using static OrleansConfig.Tests.Manifests.ManifestSamples;

namespace OrleansConfig.Tests.Manifests;

public class ManifestJsonTests
{
    private static readonly Service EveryServiceField = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "edge",
            Namespace = "shop",
            Labels = Map(("app.kubernetes.io/name", "edge"), ("tier", "front")),
            Annotations = Map(("example.com/note", "café \"quoted\" <b>&</b>\nline"), ("empty", "")),
        },
        Spec = new ServiceSpec
        {
            Type = "LoadBalancer",
            ClusterIP = "10.96.0.10",
            ClusterIPs = ["10.96.0.10", "fd00::10"],
            Ports =
            [
                new ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = "http", NodePort = 30080 },
                new ServicePort { Name = "dns", Protocol = "UDP", Port = 53, TargetPort = 5353, NodePort = 30053 },
                new ServicePort { Name = "sctp", Protocol = "SCTP", Port = 9000 },
            ],
            Selector = Map(("app.kubernetes.io/name", "edge")),
            SessionAffinity = "ClientIP",
            SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 600 } },
            ExternalIPs = ["192.0.2.1", "2001:db8::1"],
            ExternalTrafficPolicy = "Local",
            InternalTrafficPolicy = "Cluster",
            LoadBalancerIP = "203.0.113.9",
        },
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus
            {
                Ingress = [new LoadBalancerIngress { Ip = "203.0.113.9" }, new LoadBalancerIngress { Hostname = "edge.example.com" }],
            },
        },
    };

    private static readonly Endpoints EveryEndpointsField = new()
    {
        Metadata = new ObjectMeta { Name = "edge", Namespace = "shop", Labels = Map(("app", "edge")) },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses =
                    [new EndpointAddress { Ip = "10.1.0.1", Hostname = "edge-0", NodeName = "node-a" },
                    new EndpointAddress { Ip = "fd00::1" }],
                NotReadyAddresses = [new EndpointAddress { Ip = "10.1.0.2", NodeName = "node-b.example.com" }],
                Ports = [new EndpointPort { Name = "http", Port = 8080 }, new EndpointPort { Name = "dns", Port = 5353, Protocol = "UDP" }],
            },
            new EndpointSubset { NotReadyAddresses = [new EndpointAddress { Ip = "10.1.0.3" }] },
        ],
    };

    [Fact]
    public void A_list_is_written_in_the_kubernetes_shape_without_nulls_or_empty_collections()
    {
        var service = new Service
        {
            Metadata = new ObjectMeta { Name = "web", Labels = Map(("app", "web")) },
            Spec = new ServiceSpec
            {
                Type = "ClusterIP",
                Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = 8080 },
                    new ServicePort { Name = "admin", Port = 81, TargetPort = "admin" }],
                Selector = Map(("app", "web")),
            },
        };
        var endpoints = new Endpoints
        {
            Metadata = new ObjectMeta { Name = "web" },
            Subsets = [
                new EndpointSubset { Addresses = [new EndpointAddress { Ip = "10.0.0.1" }], Ports = [new EndpointPort { Port = 8080 }] }],
        };

        var json = Manifest.ToJson([service], [endpoints]);

        Assert.Equal(
            Lines("""
                {"apiVersion":"v1","kind":"List","items":[
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
                "spec":{"type":"ClusterIP","ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},
                {"name":"admin","protocol":"TCP","port":81,"targetPort":"admin"}],"selector":{"app":"web"}}},
                {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"default"},
                "subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":8080,"protocol":"TCP"}]}]}]}
                """),
            json);
    }

    [Fact]
    public void Every_service_field_is_written_under_its_kubernetes_name()
    {
        var json = Manifest.ToJson(EveryServiceField);

        Assert.Equal(
            Lines("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"edge","namespace":"shop",
                "labels":{"app.kubernetes.io/name":"edge","tier":"front"},"annotations":{"empty":"","example.com/note":"café \"quoted\" <b>&</b>\nline"}},
                "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10","fd00::10"],
                "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http","nodePort":30080},
                {"name":"dns","protocol":"UDP","port":53,"targetPort":5353,"nodePort":30053},{"name":"sctp","protocol":"SCTP","port":9000}],
                "selector":{"app.kubernetes.io/name":"edge"},"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}},
                "externalIPs":["192.0.2.1","2001:db8::1"],"externalTrafficPolicy":"Local","internalTrafficPolicy":"Cluster","loadBalancerIP":"203.0.113.9"},
                "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"},{"hostname":"edge.example.com"}]}}}
                """),
            json);
    }

    [Fact]
    public void Every_endpoints_field_is_written_under_its_kubernetes_name()
    {
        var json = Manifest.ToJson(EveryEndpointsField);

        Assert.Equal(
            Lines("""
                {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"edge","namespace":"shop","labels":{"app":"edge"}},"subsets":[
                {"addresses":[{"ip":"10.1.0.1","hostname":"edge-0","nodeName":"node-a"},{"ip":"fd00::1"}],
                "notReadyAddresses":[{"ip":"10.1.0.2","nodeName":"node-b.example.com"}],
                "ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"dns","port":5353,"protocol":"UDP"}]},
                {"notReadyAddresses":[{"ip":"10.1.0.3"}]}]}
                """),
            json);
    }

    [Fact]
    public void An_empty_load_balancer_status_is_written_as_kubectl_writes_it()
    {
        var service = Manifest.Parse(Read("kubectl-clusterip.json")).Services[0];

        Assert.EndsWith("""
            "status":{"loadBalancer":{}}}
            """, Manifest.ToJson(service));
    }

    [Fact]
    public void Every_field_round_trips_through_json()
    {
        var manifest = new Manifest([EveryServiceField, Manifest.Parse(Read("kubectl-headless.yaml")).Services[0]], [EveryEndpointsField]);

        Assert.Equal(manifest, Manifest.Parse(Manifest.ToJson(manifest.Services, manifest.Endpoints)));
        Assert.Equal(manifest, Manifest.Parse(manifest.ToJson(indented: true)));
    }

    [Theory]
    [InlineData("kubectl-clusterip.yaml")]
    [InlineData("kubectl-nodeport.yaml")]
    [InlineData("kubectl-loadbalancer.yaml")]
    [InlineData("kubectl-externalname.yaml")]
    [InlineData("kubectl-multiport.yaml")]
    [InlineData("kubectl-endpoints.yaml")]
    [InlineData("list-mixed.json")]
    [InlineData("servicelist.json")]
    [InlineData("endpointslist.yaml")]
    [InlineData("multi-document.yaml")]
    public void Samples_round_trip_through_json(string file)
    {
        var manifest = Manifest.Parse(Read(file));

        Assert.Equal(manifest, Manifest.Parse(Manifest.ToJson(manifest.Services, manifest.Endpoints)));
    }

    [Fact]
    public void Union_items_keep_their_source_on_write_and_lose_it_on_input()
    {
        var service = EveryServiceField.WithSource("etcd");
        var endpoints = EveryEndpointsField.WithSource("file");

        var json = Manifest.ToJson([service], [endpoints]);
        var parsed = Manifest.Parse(json);

        Assert.Contains("\"orleans-config/source\":\"etcd\"", json);
        Assert.Contains("\"annotations\":{\"orleans-config/source\":\"file\"}", json);
        Assert.Equal(new Manifest([EveryServiceField], [EveryEndpointsField]), parsed);
    }

    [Fact]
    public void Single_objects_are_written_with_their_kind_and_parse_back()
    {
        Assert.Equal(new Manifest([EveryServiceField], []), Manifest.Parse(Manifest.ToJson(EveryServiceField)));
        Assert.Equal(new Manifest([], [EveryEndpointsField]), Manifest.Parse(Manifest.ToJson(EveryEndpointsField, indented: true)));
    }

    [Fact]
    public void Indented_output_uses_two_spaces_and_newlines()
    {
        var json = Manifest.ToJson([], [new Endpoints { Metadata = new ObjectMeta { Name = "web" } }], indented: true);

        Assert.Equal(
            """
            {
              "apiVersion": "v1",
              "kind": "List",
              "items": [
                {
                  "apiVersion": "v1",
                  "kind": "Endpoints",
                  "metadata": {
                    "name": "web",
                    "namespace": "default"
                  }
                }
              ]
            }
            """.ReplaceLineEndings("\n"),
            json);
    }

    [Fact]
    public void Control_characters_are_escaped_and_survive_the_round_trip()
    {
        var service = EveryServiceField with
        {
            Metadata = EveryServiceField.Metadata with { Annotations = Map(("note", "a\0b\u001f")) },
        };

        var json = Manifest.ToJson(service);

        Assert.Contains("""
            "note":"a\u0000b\u001F"
            """, json);
        Assert.Equal(service, Manifest.Parse(json).Services[0]);
    }

    /// <summary>Joins a long expected JSON text written over several lines.</summary>
    private static string Lines(string text) => text.ReplaceLineEndings("");

    [Fact]
    public void An_empty_manifest_is_an_empty_list()
    {
        Assert.Equal("""{"apiVersion":"v1","kind":"List","items":[]}""", Manifest.Empty.ToJson());
        Assert.Equal(Manifest.Empty, Manifest.Parse(Manifest.Empty.ToJson()));
    }
}
