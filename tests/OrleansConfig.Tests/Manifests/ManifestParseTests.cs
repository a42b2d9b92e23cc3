using Xunit;
using static OrleansConfig.Tests.Manifests.ManifestSamples;

namespace OrleansConfig.Tests.Manifests;

public class ManifestParseTests
{
    private static readonly Service KubectlClusterIP = new()
    {
        Metadata = new ObjectMeta { Name = "web", Labels = Map(("app", "web")) },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            Ports = [new ServicePort { Name = "80-8080", Protocol = "TCP", Port = 80, TargetPort = 8080 }],
            Selector = Map(("app", "web")),
        },
        Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus() },
    };

    private static readonly Endpoints KubectlEndpoints = new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop", Labels = Map(("app", "web")) },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses =
                    [new EndpointAddress
                    {
                        Ip = "10.1.0.4",
                        NodeName = "node-a",
                        TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-1" },
                    },
                    new EndpointAddress { Ip = "10.1.0.5", Hostname = "web-2" }],
                NotReadyAddresses = [new EndpointAddress { Ip = "fd00::7" }],
                Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" },
                    new EndpointPort { Name = "metrics", Port = 9090, Protocol = "TCP" }],
            },
        ],
    };

    [Theory]
    [InlineData("kubectl-clusterip.json")]
    [InlineData("kubectl-clusterip.yaml")]
    public void Kubectl_clusterip_output_parses_unchanged(string file)
    {
        var manifest = Manifest.Parse(Read(file));

        Assert.Equal(new Manifest([KubectlClusterIP], []), manifest);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_nodeport_output_parses_unchanged(string format)
    {
        var service = Assert.Single(Manifest.Parse(Read($"kubectl-nodeport.{format}")).Services);

        Assert.Equal(new Service
        {
            Metadata = new ObjectMeta { Name = "web-np", Namespace = "shop", Labels = Map(("app", "web-np")) },
            Spec = new ServiceSpec
            {
                Type = "NodePort",
                Ports = [new ServicePort { Name = "80-8080", Port = 80, TargetPort = 8080, NodePort = 30080 }],
                Selector = Map(("app", "web-np")),
            },
            Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus() },
        }, service);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_loadbalancer_output_parses_with_a_named_target_port(string format)
    {
        var service = Assert.Single(Manifest.Parse(Read($"kubectl-loadbalancer.{format}")).Services);

        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal(new ServicePort { Name = "80-http", Port = 80, TargetPort = "http" }, Assert.Single(service.Spec.Ports));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_externalname_output_parses_without_ports(string format)
    {
        var service = Assert.Single(Manifest.Parse(Read($"kubectl-externalname.{format}")).Services);

        Assert.Equal(new ObjectMeta { Name = "db", Namespace = "data", Labels = Map(("app", "db")) }, service.Metadata);
        Assert.Equal("ExternalName", service.Spec.Type);
        Assert.Equal("db.example.com", service.Spec.ExternalName);
        Assert.Empty(service.Spec.Ports);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_headless_output_parses_without_ports(string format)
    {
        var service = Assert.Single(Manifest.Parse(Read($"kubectl-headless.{format}")).Services);

        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Empty(service.Spec.Ports);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_multiport_output_parses_with_every_port(string format)
    {
        var service = Assert.Single(Manifest.Parse(Read($"kubectl-multiport.{format}")).Services);

        Assert.Equal(
            [new ServicePort { Name = "80-8080", Port = 80, TargetPort = 8080 },
                new ServicePort { Name = "443-8443", Port = 443, TargetPort = 8443 }],
            service.Spec.Ports);
    }

    [Theory]
    [InlineData("kubectl-endpoints.json")]
    [InlineData("kubectl-endpoints.yaml")]
    public void Kubectl_endpoints_output_parses_unchanged_with_target_refs(string file)
    {
        var manifest = Manifest.Parse(Read(file));

        Assert.Equal(new Manifest([], [KubectlEndpoints]), manifest);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Kubectl_configmap_is_refused_as_an_unsupported_kind(string format)
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(Read($"kubectl-configmap.{format}")));

        Assert.Equal([new FieldError("kind", "unsupported kind \"ConfigMap\", expected Service, Endpoints, EndpointSlice or a List")], error.Errors);
    }

    [Fact]
    public void A_list_may_mix_services_and_endpoints()
    {
        var manifest = Manifest.Parse(Read("list-mixed.json"));

        Assert.Equal([KubectlClusterIP, Manifest.Parse(Read("kubectl-externalname.json")).Services[0]], manifest.Services);
        Assert.Equal([KubectlEndpoints], manifest.Endpoints);
    }

    [Fact]
    public void An_api_server_service_list_parses_items_without_kinds()
    {
        var manifest = Manifest.Parse(Read("servicelist.json"));

        Assert.Equal(
            [
                new Service
                {
                    Metadata = new ObjectMeta
                    {
                        Name = "web",
                        Namespace = "shop",
                        Labels = Map(("app.kubernetes.io/name", "web"), ("tier", "frontend")),
                        Annotations =
                            Map(("kubectl.kubernetes.io/last-applied-configuration", "{\"apiVersion\":\"v1\",\"kind\":\"Service\"}\n")),
                    },
                    Spec = new ServiceSpec
                    {
                        Type = "ClusterIP",
                        ClusterIP = "10.96.12.34",
                        ClusterIPs = ["10.96.12.34", "fd00:10:96::1234"],
                        Ports =
                        [
                            new ServicePort { Name = "http", Port = 80, TargetPort = "http" },
                            new ServicePort { Name = "metrics", Port = 9090, TargetPort = 9090 },
                        ],
                        Selector = Map(("app.kubernetes.io/name", "web")),
                        SessionAffinity = "ClientIP",
                        SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 10800 } },
                        InternalTrafficPolicy = "Cluster",
                    },
                    Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus() },
                },
                new Service
                {
                    Metadata = new ObjectMeta { Name = "edge", Namespace = "shop" },
                    Spec = new ServiceSpec
                    {
                        Type = "LoadBalancer",
                        ClusterIP = "10.96.0.53",
                        ClusterIPs = ["10.96.0.53"],
                        Ports = [new ServicePort { Protocol = "UDP", Port = 53, TargetPort = 5353, NodePort = 31053 }],
                        Selector = Map(("app", "dns")),
                        SessionAffinity = "None",
                        ExternalIPs = ["192.0.2.10"],
                        LoadBalancerIP = "203.0.113.7",
                        ExternalTrafficPolicy = "Local",
                        InternalTrafficPolicy = "Local",
                    },
                    Status = new ServiceStatus
                    {
                        LoadBalancer = new LoadBalancerStatus
                        {
                            Ingress = [new LoadBalancerIngress { Ip = "203.0.113.7" },
                                new LoadBalancerIngress { Hostname = "edge.example.com" }],
                        },
                    },
                },
            ],
            manifest.Services);
        Assert.Empty(manifest.Endpoints);
    }

    [Fact]
    public void An_endpoints_list_in_yaml_parses_items_without_kinds()
    {
        var manifest = Manifest.Parse(Read("endpointslist.yaml"));

        Assert.Equal(["web", "edge"], manifest.Endpoints.Select(e => e.Metadata.Name));
        Assert.Equal(
            new EndpointSubset
            {
                Addresses = [new EndpointAddress { Ip = "fd00:10:244::7", Hostname = "edge-0" }],
                Ports = [new EndpointPort { Port = 5353, Protocol = "UDP" }],
            },
            Assert.Single(manifest.Endpoints[1].Subsets));
        Assert.Equal(2, manifest.Endpoints[0].Subsets[0].Addresses.Count);
    }

    [Fact]
    public void Lists_may_nest_lists_and_skip_null_items()
    {
        const string yaml = """
            kind: List
            items:
            - null
            - kind: ServiceList
              items:
              - {metadata: {name: a}, spec: {ports: [{port: 80}]}}
            - kind: List
              items:
              - {kind: Endpoints, metadata: {name: a}}
              - {kind: Service, metadata: {name: b}, spec: {ports: [{port: 81}]}}
            """;

        var manifest = Manifest.Parse(yaml);

        Assert.Equal(["a", "b"], manifest.Services.Select(s => s.Metadata.Name));
        Assert.Equal("a", Assert.Single(manifest.Endpoints).Metadata.Name);
    }

    [Fact]
    public void Multi_document_yaml_reads_every_document_and_skips_empty_ones()
    {
        var manifest = Manifest.Parse(Read("multi-document.yaml"));

        Assert.Equal(new Manifest([KubectlClusterIP], [KubectlEndpoints]), manifest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    [InlineData("null")]
    public void An_empty_input_holds_nothing(string input)
    {
        Assert.Equal(Manifest.Empty, Manifest.Parse(input));
    }

    [Fact]
    public void A_ports_app_protocol_is_kept_and_must_be_a_qualified_name()
    {
        const string yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 443\n    appProtocol: kubernetes.io/h2c\n";

        Assert.Equal("kubernetes.io/h2c", Assert.Single(Manifest.Parse(yaml).Services).Spec.Ports[0].AppProtocol);
        var error = Assert.Single(Assert.Throws<ManifestException>(() => Manifest.Parse(yaml.Replace("kubernetes.io/h2c", "no good"))).Errors);
        Assert.EndsWith("spec.ports[0].appProtocol", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_and_nulls_are_ignored()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Service","extra":{"deep":[1,2,{"x":null}]},
             "metadata":{"name":"web","namespace":null,"labels":{"app":"web","gone":null},"annotations":null,"uid":"abc","generation":3},
             "spec":{"type":null,"ports":[{"port":80,"name":null,"protocol":null,"appProtocol":"http","targetPort":null}],
                     "ipFamilies":["IPv4"],"publishNotReadyAddresses":true,"selector":null},
             "status":null}
            """;

        var service = Assert.Single(Manifest.Parse(json).Services);

        Assert.Equal(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Labels = Map(("app", "web")) },
            // appProtocol is read (YARP's https choice uses it); the other unknown fields are not.
            Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80, AppProtocol = "http" }] },
        }, service);
    }

    [Theory]
    [InlineData("metadata: {name: web}")]
    [InlineData("metadata: {name: web, namespace: ''}")]
    [InlineData("metadata: {name: web, namespace: ~}")]
    public void A_missing_or_empty_namespace_is_default(string metadata)
    {
        var service = Assert.Single(Manifest.Parse($"kind: Service\n{metadata}\nspec: {{ports: [{{port: 80}}]}}").Services);

        Assert.Equal("default", service.Metadata.Namespace);
    }

    [Fact]
    public void Missing_protocols_default_to_tcp_as_kubernetes_defaults_them()
    {
        const string yaml = """
            kind: List
            items:
            - kind: Service
              metadata: {name: web}
              spec: {ports: [{port: 80, protocol: ""}]}
            - kind: Endpoints
              metadata: {name: web}
              subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 8080}]}]
            """;

        var manifest = Manifest.Parse(yaml);

        Assert.Equal("TCP", manifest.Services[0].Spec.Ports[0].Protocol);
        Assert.Equal("TCP", manifest.Endpoints[0].Subsets[0].Ports[0].Protocol);
    }

    [Fact]
    public void The_source_annotation_is_stripped_on_input()
    {
        const string yaml = """
            kind: Service
            metadata:
              name: web
              annotations:
                orleans-config/source: etcd
                team: blue
            spec: {ports: [{port: 80}]}
            """;

        var service = Assert.Single(Manifest.Parse(yaml).Services);

        Assert.Equal(Map(("team", "blue")), service.Metadata.Annotations);
        Assert.Equal("", service.Source());
    }

    [Fact]
    public void Yaml_scalars_are_typed_by_the_yaml_1_2_core_schema()
    {
        const string yaml = """
            kind: Service
            metadata:
              name: web
              labels: {enabled: "true", mode: yes, zone: on, version: "1", octal: "0o17"}
            spec:
              ports:
              - {name: a, port: 0x50, targetPort: "8080x"}
              - {name: b, port: 0o17, targetPort: !!int "81"}
              - {name: c, port: +82, targetPort: !!str 82x}
            """;

        var service = Assert.Single(Manifest.Parse(yaml).Services);

        Assert.Equal(Map(("enabled", "true"), ("mode", "yes"), ("zone", "on"), ("version", "1"), ("octal", "0o17")),
            service.Metadata.Labels);
        Assert.Equal([80, 15, 82], service.Spec.Ports.Select(p => p.Port));
        Assert.Equal([(IntOrString)"8080x", 81, "82x"], service.Spec.Ports.Select(p => p.TargetPort!.Value));
    }

    [Fact]
    public void Yaml_anchors_aliases_and_merge_keys_are_expanded()
    {
        const string yaml = """
            kind: List
            items:
            - kind: Service
              metadata: &meta {name: web, labels: &labels {app: web}}
              spec:
                ports:
                - &http {name: http, port: 80, targetPort: 8080}
                - <<: *http
                  name: alt
                  port: 8000
                selector: *labels
            """;

        var service = Assert.Single(Manifest.Parse(yaml).Services);

        Assert.Equal(Map(("app", "web")), service.Spec.Selector);
        Assert.Equal(
            [new ServicePort { Name = "http", Port = 80, TargetPort = 8080 },
                new ServicePort { Name = "alt", Port = 8000, TargetPort = 8080 }],
            service.Spec.Ports);
    }

    [Fact]
    public void A_byte_order_mark_and_leading_whitespace_are_allowed_before_json()
    {
        var service = Assert.Single(Manifest.Parse("\uFEFF \n " + Read("kubectl-clusterip.json")).Services);

        Assert.Equal(KubectlClusterIP, service);
    }

    [Fact]
    public void Label_keys_with_dots_and_slashes_survive()
    {
        const string yaml = """
            kind: Service
            metadata: {name: web, labels: {"app.kubernetes.io/name": web, "example.com/tier": front}}
            spec: {ports: [{port: 80}], selector: {"app.kubernetes.io/name": web}}
            """;

        var service = Assert.Single(Manifest.Parse(yaml).Services);

        Assert.Equal("web", service.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("front", service.Metadata.Labels["example.com/tier"]);
    }
}
