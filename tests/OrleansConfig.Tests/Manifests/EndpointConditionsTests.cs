using Xunit;

namespace OrleansConfig.Tests.Manifests;

/// <summary>
/// What v1 Endpoints cannot say (serving, terminating, zone, forZones) rides in one annotation of <c>get -o json</c>
/// and comes back on input; targetRef is v1 and is written as v1.
/// </summary>
public sealed class EndpointConditionsTests
{
    private const string Key = "endpoints.orleans-config.io/conditions";

    private static readonly Endpoints RollingUpdate = new Endpoints
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses =
                [
                    new EndpointAddress
                    {
                        Ip = "10.0.0.2", NodeName = "node-b", Zone = "zone-b", ForZones = ["zone-b", "zone-c"],
                        TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-2", Uid = "u-2" },
                    },
                    new EndpointAddress { Ip = "10.0.0.3" },
                ],
                NotReadyAddresses =
                [
                    new EndpointAddress { Ip = "10.0.0.1", Serving = true, Terminating = true, Zone = "zone-a" },
                    new EndpointAddress { Ip = "10.0.0.4", Terminating = true },
                ],
                Ports = [new EndpointPort { Name = "http", Port = 8080 }],
            },
        ],
    }.WithSource("api");

    [Fact]
    public void Get_writes_v1_addresses_and_the_rest_in_one_annotation_keyed_by_ip()
    {
        var json = Manifest.ToJson([], [RollingUpdate]);

        const string conditions =
            """{\"10.0.0.1\":{\"serving\":true,\"terminating\":true,\"zone\":\"zone-a\"},""" +
            """\"10.0.0.2\":{\"zone\":\"zone-b\",\"forZones\":[\"zone-b\",\"zone-c\"]},\"10.0.0.4\":{\"terminating\":true}}""";
        Assert.Equal(
            """
            {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"shop",
            "annotations":{"endpoints.orleans-config.io/conditions":"CONDITIONS","orleans-config/source":"api"}},
            "subsets":[{"addresses":[{"ip":"10.0.0.2","nodeName":"node-b",
            "targetRef":{"kind":"Pod","namespace":"shop","name":"web-2","uid":"u-2"}},{"ip":"10.0.0.3"}],
            "notReadyAddresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.4"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}]}
            """.ReplaceLineEndings("").Replace("CONDITIONS", conditions, StringComparison.Ordinal),
            json);
    }

    [Fact]
    public void Get_output_applies_back_exactly_and_the_annotation_is_gone()
    {
        var read = Manifest.Parse(Manifest.ToJson([], [RollingUpdate], indented: true)).Endpoints.Single();

        Assert.Equal(RollingUpdate.WithSource(""), read.WithSource(""));
        Assert.False(read.Metadata.Annotations.ContainsKey(Key));
        Assert.Equal(RollingUpdate.Subsets[0].NotReadyAddresses[0], read.Subsets[0].NotReadyAddresses[0]);
    }

    [Fact]
    public void An_endpoints_without_conditions_has_no_annotation()
    {
        var plain = new Endpoints
        {
            Metadata = new ObjectMeta { Name = "web" },
            Subsets =
                [new EndpointSubset { Addresses = [new EndpointAddress { Ip = "10.0.0.1" }], Ports = [new EndpointPort { Port = 80 }] }],
        };

        Assert.DoesNotContain("annotations", Manifest.ToJson(plain), StringComparison.Ordinal);
    }

    [Fact]
    public void The_annotation_read_from_yaml_sets_the_conditions_of_every_address_with_that_ip()
    {
        const string yaml = """
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: web
              annotations:
                example.com/kept: "yes"
                endpoints.orleans-config.io/conditions: '{"10.0.0.1":{"serving":true,"terminating":true}}'
            subsets:
            - notReadyAddresses: [{ip: 10.0.0.1, targetRef: {kind: Pod, name: web-1, resourceVersion: "7"}}]
              ports: [{name: http, port: 8080}]
            - notReadyAddresses: [{ip: 10.0.0.1}]
              ports: [{name: admin, port: 9090}]
            """;

        var endpoints = Manifest.Parse(yaml, FieldValidation.Strict).Endpoints.Single();

        var expected = new EndpointAddress { Ip = "10.0.0.1", Serving = true, Terminating = true };
        Assert.Equal(
            expected with { TargetRef = new ObjectReference { Kind = "Pod", Name = "web-1" } }, endpoints.Subsets[0].NotReadyAddresses[0]);
        Assert.Equal(expected, endpoints.Subsets[1].NotReadyAddresses[0]);
        Assert.Equal(["example.com/kept"], endpoints.Metadata.Annotations.Keys);
    }

    [Fact]
    public void A_bad_annotation_is_refused_naming_the_ip_and_field()
    {
        const string yaml = """
            kind: Endpoints
            metadata:
              name: web
              annotations:
                endpoints.orleans-config.io/conditions: '{"10.0.0.1":{"serving":"yes","forZones":["a",3]},"10.0.0.9":{},"10.0.0.2":[]}'
            subsets:
            - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}]
              ports: [{port: 8080}]
            """;

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml));

        Assert.Equal(
            [
                new FieldError($"metadata.annotations[{Key}][10.0.0.1].serving", "must be true or false, got \"yes\""),
                new FieldError($"metadata.annotations[{Key}][10.0.0.1].forZones[1]", "must be a string, got 3"),
                new FieldError($"metadata.annotations[{Key}][10.0.0.9]", "is not an address of this Endpoints"),
                new FieldError($"metadata.annotations[{Key}][10.0.0.2]", "must be an object, got a list"),
            ],
            error.Errors);
    }

    [Fact]
    public void An_annotation_that_is_not_json_is_refused()
    {
        const string yaml = """
            kind: Endpoints
            metadata: {name: web, annotations: {endpoints.orleans-config.io/conditions: "terminating"}}
            subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 8080}]}]
            """;

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml));

        var only = Assert.Single(error.Errors);
        Assert.Equal($"metadata.annotations[{Key}]", only.Path);
        Assert.StartsWith("must be a JSON object keyed by IP address: ", only.Message, StringComparison.Ordinal);
    }
}
