using Xunit;
using static OrleansConfig.Tests.Manifests.ManifestSamples;

namespace OrleansConfig.Tests.Manifests;

public class ManifestFieldValidationTests
{
    private const string Typos = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labelz: {app: web}
        spec:
          clusterIp: 10.96.0.10
          sessionAffinty: ClientIP
          ports:
          - port: 80
            targetPrt: 8080
        """;

    public static TheoryData<string> KubectlSamples => new()
    {
        "kubectl-clusterip.json", "kubectl-clusterip.yaml", "kubectl-endpoints.json", "kubectl-endpoints.yaml",
        "kubectl-externalname.json", "kubectl-externalname.yaml", "kubectl-headless.json", "kubectl-headless.yaml",
        "kubectl-loadbalancer.json", "kubectl-loadbalancer.yaml", "kubectl-multiport.json", "kubectl-multiport.yaml",
        "kubectl-nodeport.json", "kubectl-nodeport.yaml", "servicelist.json", "endpointslist.yaml", "list-mixed.json",
        "multi-document.yaml",
    };

    [Theory]
    [MemberData(nameof(KubectlSamples))]
    public void Kubectl_and_API_server_output_has_no_unknown_fields(string sample)
    {
        Assert.Empty(Manifest.Parse(Read(sample), FieldValidation.Warn).Warnings);
        Assert.Equal(Manifest.Parse(Read(sample)), Manifest.Parse(Read(sample), FieldValidation.Strict));
    }

    [Fact]
    public void Warn_names_each_unknown_field_by_its_path_in_document_order()
    {
        var manifest = Manifest.Parse(Typos, FieldValidation.Warn);

        Assert.Equal(
            ["unknown field \"metadata.labelz\"", "unknown field \"spec.clusterIp\"", "unknown field \"spec.sessionAffinty\"",
             "unknown field \"spec.ports[0].targetPrt\""],
            manifest.Warnings);
        Assert.Equal(Manifest.Parse(Typos), manifest);
    }

    [Fact]
    public void Strict_refuses_the_input_with_each_unknown_field_as_an_error()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(Typos, FieldValidation.Strict));

        Assert.Equal(
            [new FieldError("metadata.labelz", "unknown field"), new FieldError("spec.clusterIp", "unknown field"),
             new FieldError("spec.sessionAffinty", "unknown field"), new FieldError("spec.ports[0].targetPrt", "unknown field")],
            error.Errors);
    }

    [Fact]
    public void Strict_reports_unknown_fields_together_with_the_other_errors()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(
            "kind: Service\nmetadata: {name: web}\nspec: {sessionAffinty: ClientIP, ports: [{port: 0}]}", FieldValidation.Strict));

        Assert.Equal(["spec.sessionAffinty: unknown field", "spec.ports[0].port: must be between 1 and 65535, got 0"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Ignore_and_the_plain_parse_drop_unknown_fields_silently()
    {
        Assert.Empty(Manifest.Parse(Typos).Warnings);
        Assert.Empty(Manifest.Parse(Typos, FieldValidation.Ignore).Warnings);
        Assert.Equal("10.96.0.10", Manifest.Parse(Typos.Replace("clusterIp", "clusterIP")).Services[0].Spec.ClusterIP);
        Assert.Null(Manifest.Parse(Typos).Services[0].Spec.ClusterIP);
    }

    [Fact]
    public void Items_of_a_list_are_named_by_their_index()
    {
        var json = """
            {"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"","continu":"x"},"items":[
              {"kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}},
              {"kind":"Endpoints","metadata":{"name":"a"},"subsets":[{"adresses":[],"addresses":[{"ip":"10.0.0.1","nodename":"n"}],"ports":[{"port":80,"appProtocol":"http","portName":"x"}]}]},
              {"kind":"Service","metadata":{"name":"b"},"spec":{"ports":[{"port":80}],"sessionAffinty":"ClientIP"},"extra":1}
            ],"itemz":[]}
            """;

        Assert.Equal(
            ["unknown field \"metadata.continu\"", "unknown field \"itemz\"",
             "unknown field \"items[1].subsets[0].adresses\"", "unknown field \"items[1].subsets[0].addresses[0].nodename\"",
             "unknown field \"items[1].subsets[0].ports[0].portName\"",
             "unknown field \"items[2].spec.sessionAffinty\"", "unknown field \"items[2].extra\""],
            Manifest.Parse(json, FieldValidation.Warn).Warnings);
    }

    [Fact]
    public void Documents_of_a_multi_document_stream_are_named_as_errors_name_them()
    {
        var yaml =
            "kind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\n---\nkind: Service\nmetadata: {name: b}\nspec: " +
            "{ports: [{port: 80}], clusterIp: None}\n";

        Assert.Equal(["unknown field \"documents[2].spec.clusterIp\""], Manifest.Parse(yaml, FieldValidation.Warn).Warnings);
        Assert.Equal([new FieldError("documents[2].spec.clusterIp", "unknown field")],
            Assert.Throws<ManifestException>(() => Manifest.Parse(yaml, FieldValidation.Strict)).Errors);
    }

    [Fact]
    public void Fields_inside_objects_picked_by_name_are_checked_too()
    {
        var yaml = """
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{port: 80}]
              sessionAffinityConfig: {clientIP: {timeoutSeconds: 10, timeout: 5}, clientIp: {}}
            status:
              conditions: []
              loadBalancer: {ingress: [{ip: 1.2.3.4, ipMode: VIP, ports: [], host: x}], ingres: []}
              phase: Ready
            """;

        Assert.Equal(
            ["unknown field \"spec.sessionAffinityConfig.clientIp\"", "unknown field \"spec.sessionAffinityConfig.clientIP.timeout\"",
             "unknown field \"status.phase\"", "unknown field \"status.loadBalancer.ingres\"",
             "unknown field \"status.loadBalancer.ingress[0].host\""],
            Manifest.Parse(yaml, FieldValidation.Warn).Warnings);
    }

    [Fact]
    public void Known_kubernetes_fields_the_model_leaves_out_are_not_unknown()
    {
        var yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              generateName: web-
              uid: 6c1f3a0e
              resourceVersion: "1"
              generation: 2
              creationTimestamp: "2024-05-01T10:00:00Z"
              deletionTimestamp: "2024-05-01T10:00:00Z"
              deletionGracePeriodSeconds: 30
              selfLink: /api/v1/namespaces/default/services/web
              ownerReferences: [{apiVersion: v1, kind: Pod, name: p, uid: u, whatever: 1}]
              finalizers: [x]
              managedFields: [{manager: kubectl}]
            spec:
              ports: [{port: 80, appProtocol: http}]
              ipFamilies: [IPv4]
              ipFamilyPolicy: SingleStack
              internalTrafficPolicy: Cluster
              allocateLoadBalancerNodePorts: true
              loadBalancerClass: x
              loadBalancerSourceRanges: [10.0.0.0/8]
              healthCheckNodePort: 30000
              publishNotReadyAddresses: true
              trafficDistribution: PreferClose
            status: {conditions: [], loadBalancer: {}}
            """;

        Assert.Empty(Manifest.Parse(yaml, FieldValidation.Strict).Warnings);
    }

    [Fact]
    public void An_unknown_field_set_to_null_is_ignored_like_every_null()
    {
        Assert.Empty(
            Manifest.Parse("kind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}], clusterIp: null}", FieldValidation.Strict)
            .Warnings);
    }

    [Fact]
    public void A_hostile_field_name_is_escaped_and_cut_short()
    {
        var name = "a\"\n" + new string('x', 1000);
        var json =
            $$"""{"kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80}]},"{{name.Replace("\"", "\\\"").Replace("\n", "\\n")}}":1}""";

        var warning = Assert.Single(Manifest.Parse(json, FieldValidation.Warn).Warnings);
        Assert.StartsWith("unknown field \"a\\\"\\nxxx", warning);
        Assert.EndsWith("... (1003 characters)", warning);
        Assert.DoesNotContain('\n', warning);
    }
}
