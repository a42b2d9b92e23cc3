using k8s;
using k8s.Models;
using OrleansConfig.Sources.Api;
using OrleansConfig.Tests.Manifests;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>An object read through the KubernetesClient is the object <see cref="Manifest.Parse(string)"/> reads from
/// the same JSON.</summary>
public sealed class V1ObjectMapperTests
{
    // Every field DESIGN.md keeps, plus fields a real API server adds that the model leaves out.
    private const string EveryServiceField = """
        {
          "apiVersion": "v1", "kind": "Service",
          "metadata": {
            "name": "web", "namespace": "shop", "uid": "0b6f", "resourceVersion": "812", "creationTimestamp": "2026-01-01T00:00:00Z",
            "labels": {"app": "web", "tier": "front"},
            "annotations": {"team": "a", "orleans-config/source": "elsewhere"},
            "managedFields": [{"manager": "kubectl", "operation": "Update"}]
          },
          "spec": {
            "type": "LoadBalancer", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10", "fd00::10"],
            "ipFamilies": ["IPv4", "IPv6"], "ipFamilyPolicy": "PreferDualStack",
            "ports": [
              {"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080},
              {"name": "dns", "protocol": "UDP", "port": 53, "targetPort": "dns"},
              {"name": "plain", "port": 9000}
            ],
            "selector": {"app": "web"},
            "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 600}},
            "externalIPs": ["192.0.2.1"], "externalTrafficPolicy": "Local", "internalTrafficPolicy": "Cluster",
            "loadBalancerIP": "192.0.2.2", "allocateLoadBalancerNodePorts": true
          },
          "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.3", "ipMode": "VIP"}, {"hostname": "lb.example.com"}]}}
        }
        """;

    private static Service ViaClient(string json) => V1ObjectMapper.ToService(KubernetesJson.Deserialize<V1Service>(json));

    [Theory]
    [InlineData("kubectl-clusterip.json")]
    [InlineData("kubectl-nodeport.json")]
    [InlineData("kubectl-loadbalancer.json")]
    [InlineData("kubectl-externalname.json")]
    [InlineData("kubectl-headless.json")]
    [InlineData("kubectl-multiport.json")]
    public void A_kubectl_service_maps_to_what_the_manifest_reader_reads(string sample)
    {
        var json = ManifestSamples.Read(sample);

        Assert.Equal(Assert.Single(Manifest.Parse(json).Services), ViaClient(json));
    }

    [Fact]
    public void Every_kept_service_field_maps_and_the_source_annotation_is_dropped()
    {
        var service = ViaClient(EveryServiceField);

        Assert.Equal(Assert.Single(Manifest.Parse(EveryServiceField).Services), service);
        Assert.Equal(new ObjectKey("shop", "web"), service.Key());
        Assert.Equal(["team"], service.Metadata.Annotations.Keys);
        Assert.Equal([(IntOrString?)8080, "dns", null], service.Spec.Ports.Select(p => p.TargetPort));
        Assert.Equal(["TCP", "UDP", "TCP"], service.Spec.Ports.Select(p => p.Protocol));
        Assert.Equal(600, service.Spec.SessionAffinityConfig!.ClientIP!.TimeoutSeconds);
        Assert.Equal(["192.0.2.3", null], service.Status!.LoadBalancer!.Ingress.Select(i => i.Ip));
        Assert.Empty(ConfigValidator.Validate(service));
    }

    [Fact]
    public void Kubectl_endpoints_map_to_what_the_manifest_reader_reads()
    {
        var json = ManifestSamples.Read("kubectl-endpoints.json");

        var endpoints = V1ObjectMapper.ToEndpoints(KubernetesJson.Deserialize<V1Endpoints>(json));

        // The targetRef included: the API source maps it as the manifest reader reads it.
        Assert.Equal(Assert.Single(Manifest.Parse(json).Endpoints), endpoints);
        Assert.Equal(["10.1.0.4", "10.1.0.5"], endpoints.Subsets[0].Addresses.Select(a => a.Ip));
        Assert.Equal(("node-a", "web-2"), (endpoints.Subsets[0].Addresses[0].NodeName, endpoints.Subsets[0].Addresses[1].Hostname));
        Assert.Equal("TCP", endpoints.Subsets[0].Ports[1].Protocol);
        Assert.Equal(new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-1" }, endpoints.Subsets[0].Addresses[0].TargetRef);
        Assert.Null(endpoints.Subsets[0].Addresses[1].TargetRef);
    }

    [Fact]
    public void V1_endpoints_ready_addresses_read_as_ready_and_serving_and_not_ready_ones_as_neither()
    {
        var endpoints = V1ObjectMapper.ToEndpoints(KubernetesJson.Deserialize<V1Endpoints>(ManifestSamples.Read("kubectl-endpoints.json")));
        var subset = endpoints.Subsets[0];

        // Serving and terminating stay unknown (null): the model reads them from the list an address is in.
        Assert.All(subset.Addresses.Concat(subset.NotReadyAddresses), a => Assert.Equal((null, null), (a.Serving, a.Terminating)));
        Assert.All(subset.Addresses, a => Assert.Equal((true, false), (a.IsServing(ready: true), a.IsTerminating)));
        Assert.Equal("fd00::7", Assert.Single(subset.NotReadyAddresses).Ip);
        Assert.All(subset.NotReadyAddresses, a => Assert.Equal((false, false), (a.IsServing(ready: false), a.IsTerminating)));
    }

    // Every field of a discovery.k8s.io/v1 EndpointSlice, as kubectl shows one the EndpointSlice controller made.
    private const string EverySliceField = """
        {
          "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
          "metadata": {
            "name": "web-x7k2p", "namespace": "shop", "uid": "4c1d", "resourceVersion": "9001", "generateName": "web-",
            "labels": {"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2026-01-01T00:00:00Z"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": "77aa"}]
          },
          "addressType": "IPv6",
          "endpoints": [
            {
              "addresses": ["fd00::1", "fd00::99"],
              "conditions": {"ready": true, "serving": true, "terminating": false},
              "hostname": "web-0",
              "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-0", "uid": "p-0", "resourceVersion": "12"},
              "nodeName": "node-a", "zone": "zone-a",
              "hints": {"forZones": [{"name": "zone-a"}, {"name": "zone-b"}], "forNodes": [{"name": "node-a"}]}
            },
            {"addresses": ["fd00::2"], "conditions": {"ready": false, "serving": true, "terminating": true}},
            {"addresses": ["fd00::3"], "conditions": {}}
          ],
          "ports": [
            {"name": "http", "protocol": "TCP", "port": 8080, "appProtocol": "http"},
            {"name": "dns", "protocol": "UDP", "port": 53},
            {"name": "metrics", "port": 9000}
          ]
        }
        """;

    [Fact]
    public void Every_endpoint_slice_field_maps()
    {
        var slice = V1ObjectMapper.ToEndpointSlice(KubernetesJson.Deserialize<V1EndpointSlice>(EverySliceField));

        Assert.Equal(new EndpointSlice
        {
            Metadata = new ObjectMeta
            {
                Namespace = "shop",
                Name = "web-x7k2p",
                Labels = ValueMap.From(new Dictionary<string, string>
                {
                    ["kubernetes.io/service-name"] = "web",
                    ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                }),
                Annotations = ValueMap.From(new Dictionary<string, string>
                {
                    ["endpoints.kubernetes.io/last-change-trigger-time"] = "2026-01-01T00:00:00Z",
                }),
            },
            AddressType = "IPv6",
            Endpoints =
            [
                new SliceEndpoint
                {
                    Addresses = ["fd00::1", "fd00::99"],
                    Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
                    Hostname = "web-0",
                    TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-0", Uid = "p-0" },
                    NodeName = "node-a",
                    Zone = "zone-a",
                    ForZones = ["zone-a", "zone-b"],
                },
                new SliceEndpoint
                {
                    Addresses = ["fd00::2"],
                    Conditions = new EndpointConditions { Ready = false, Serving = true, Terminating = true },
                },
                new SliceEndpoint { Addresses = ["fd00::3"] },
            ],
            Ports =
            [
                new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" },
                new EndpointPort { Name = "dns", Port = 53, Protocol = "UDP" },
                new EndpointPort { Name = "metrics", Port = 9000, Protocol = "TCP" },
            ],
        }, slice);
        Assert.Equal("web", slice.ServiceName);
        Assert.Empty(ApiKinds.ValidateSlice(slice));
    }

    [Fact]
    public void A_bare_slice_maps_to_the_defaults_and_is_refused_for_naming_no_service()
    {
        var slice = V1ObjectMapper.ToEndpointSlice(new V1EndpointSlice());

        Assert.Equal(new EndpointSlice(), slice);
        Assert.Equal("metadata.labels[kubernetes.io/service-name]: is required: it names the slice's Service",
            Assert.Single(ApiKinds.ValidateSlice(slice)).ToString());
    }

    [Fact]
    public void A_bare_object_maps_to_the_defaults()
    {
        var service = ViaClient("""{"metadata":{"name":"x"}}""");

        Assert.Equal(new Service { Metadata = new ObjectMeta { Name = "x" } }, service);
        Assert.Equal(new Endpoints(), V1ObjectMapper.ToEndpoints(new V1Endpoints()));
    }
}
