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

        // The API source's v1 mapping does not carry targetRef (yet); the manifest reader does.
        var read = Assert.Single(Manifest.Parse(json).Endpoints);
        Assert.Equal(read with
        {
            Subsets = [.. read.Subsets.Select(s => s with { Addresses = [.. s.Addresses.Select(a => a with { TargetRef = null })] })],
        }, endpoints);
        Assert.Equal(["10.1.0.4", "10.1.0.5"], endpoints.Subsets[0].Addresses.Select(a => a.Ip));
        Assert.Equal(("node-a", "web-2"), (endpoints.Subsets[0].Addresses[0].NodeName, endpoints.Subsets[0].Addresses[1].Hostname));
        Assert.Equal("TCP", endpoints.Subsets[0].Ports[1].Protocol);
    }

    [Fact]
    public void A_bare_object_maps_to_the_defaults()
    {
        var service = ViaClient("""{"metadata":{"name":"x"}}""");

        Assert.Equal(new Service { Metadata = new ObjectMeta { Name = "x" } }, service);
        Assert.Equal(new Endpoints(), V1ObjectMapper.ToEndpoints(new V1Endpoints()));
    }
}
