using Xunit;
using static OrleansConfig.Tests.Manifests.ManifestSamples;

namespace OrleansConfig.Tests.Manifests;

public class EndpointSliceManifestTests
{
    private static readonly EndpointSlice WebV4 = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web-abc12",
            Namespace = "shop",
            Labels = Map(("app", "web"), ("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"),
                ("kubernetes.io/service-name", "web")),
            Annotations = Map(("endpoints.kubernetes.io/last-change-trigger-time", "2026-12-05T09:12:44Z")),
        },
        AddressType = "IPv4",
        Endpoints =
        [
            new SliceEndpoint
            {
                Addresses = ["10.244.0.5"],
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
                NodeName = "kind-control-plane",
                TargetRef = new ObjectReference
                {
                    Kind = "Pod", Name = "web-7d4b9c6f5-2xkqp", Namespace = "shop", Uid = "5b0b7c3e-61a4-4a8e-9f3d-1c2b3a4d5e6f",
                },
                Zone = "europe-west1-b",
                ForZones = ["europe-west1-b"],
            },
            new SliceEndpoint
            {
                Addresses = ["10.244.0.6"],
                Conditions = new EndpointConditions { Ready = false, Serving = true, Terminating = true },
                Hostname = "web-1",
                NodeName = "kind-worker",
                TargetRef = new ObjectReference
                {
                    Kind = "Pod", Name = "web-7d4b9c6f5-9zvbn", Namespace = "shop", Uid = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
                },
            },
        ],
        Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
    };

    private static readonly EndpointSlice WebV6 = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web-def34",
            Namespace = "shop",
            Labels = Map(("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"), ("kubernetes.io/service-name", "web")),
        },
        AddressType = "IPv6",
        Endpoints =
        [
            new SliceEndpoint
            {
                Addresses = ["fd00:10:244::5"],
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
                NodeName = "kind-control-plane",
            },
        ],
        Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
    };

    [Fact]
    public void Kubectl_get_endpointslices_output_parses_with_every_field()
    {
        var manifest = Manifest.Parse(Read("kubectl-endpointslices.yaml"), FieldValidation.Strict);

        Assert.Empty(manifest.Services);
        Assert.Empty(manifest.Endpoints);
        Assert.Equal(3, manifest.EndpointSlices.Count);
        Assert.Equal(WebV4, manifest.EndpointSlices[0]);
        Assert.Equal(WebV6, manifest.EndpointSlices[1]);
        Assert.Equal(new ObjectKey("default", "kubernetes"), manifest.EndpointSlices[2].Metadata.Key);
        Assert.Equal("kubernetes", manifest.EndpointSlices[2].ServiceName);
    }

    [Fact]
    public void A_slice_written_back_is_discovery_v1_json_that_reads_the_same()
    {
        var json = Manifest.ToJson(WebV6);

        Assert.Equal(
            "{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"web-def34\",\"namespace\":\"shop\"," +
            "\"labels\":{\"endpointslice.kubernetes.io/managed-by\":\"endpointslice-controller.k8s.io\",\"kubernetes.io/service-name\":\"web\"}}," +
            "\"addressType\":\"IPv6\",\"endpoints\":[{\"addresses\":[\"fd00:10:244::5\"],\"conditions\":{\"ready\":true,\"serving\":true," +
            "\"terminating\":false},\"nodeName\":\"kind-control-plane\"}],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}",
            json);
        Assert.Equal([WebV6], Manifest.Parse(json, FieldValidation.Strict).EndpointSlices);
    }

    [Fact]
    public void A_manifest_with_slices_round_trips_through_its_list()
    {
        var manifest = Manifest.Parse(Read("kubectl-endpointslices.yaml"));

        var again = Manifest.Parse(manifest.ToJson(indented: true), FieldValidation.Strict);

        Assert.Equal(manifest, again);
        Assert.Equal(WebV4, again.EndpointSlices[0]);
    }

    [Fact]
    public void An_EndpointSliceList_may_leave_out_its_items_kind_and_multi_document_yaml_mixes_kinds()
    {
        var list = Manifest.Parse("""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSliceList
            items:
            - metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
              addressType: IPv4
              endpoints: [{addresses: [10.0.0.1]}]
              ports: [{port: 80}]
            """);
        var documents = Manifest.Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.1]}]
            ports: [{port: 80}]
            """);

        var expected = new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "web-1", Namespace = "shop", Labels = Map(("kubernetes.io/service-name", "web")) },
            AddressType = "IPv4",
            Endpoints = [new SliceEndpoint { Addresses = ["10.0.0.1"] }],
            Ports = [new EndpointPort { Port = 80, Protocol = "TCP" }],
        };
        Assert.Equal([expected], list.EndpointSlices);
        Assert.Equal([expected], documents.EndpointSlices);
        Assert.Single(documents.Services);
    }

    [Fact]
    public void Unknown_slice_fields_are_refused_by_name_under_strict()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse("""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoint: []
            endpoints: [{addresses: [10.0.0.1], condition: {}, conditions: {redy: true}, hints: {forZone: []}}]
            ports: [{port: 80, appProtocl: http}]
            """, FieldValidation.Strict));

        Assert.Equal(
            [
                new FieldError("endpoint", "unknown field"),
                new FieldError("endpoints[0].condition", "unknown field"),
                new FieldError("endpoints[0].conditions.redy", "unknown field"),
                new FieldError("endpoints[0].hints.forZone", "unknown field"),
                new FieldError("ports[0].appProtocl", "unknown field"),
            ],
            error.Errors);
    }

    [Fact]
    public void A_slice_needs_the_discovery_api_version_and_typed_fields()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse("""
            apiVersion: v1
            kind: EndpointSlice
            metadata: {name: web-1}
            """));
        var types = Assert.Throws<ManifestException>(() => Manifest.Parse("""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.1], conditions: {ready: "yes"}}]
            ports: [{port: 80}]
            """));

        Assert.Equal([new FieldError("apiVersion", "unsupported apiVersion \"v1\", expected \"discovery.k8s.io/v1\"")], error.Errors);
        Assert.Equal([new FieldError("endpoints[0].conditions.ready", "must be a boolean, got \"yes\"")], types.Errors);
    }

    [Fact]
    public void Validation_errors_of_a_slice_name_their_item_path()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: discovery.k8s.io/v1
              kind: EndpointSlice
              metadata: {name: web-1, namespace: shop}
              addressType: IPv4
              endpoints: [{addresses: [fd00::1]}]
              ports: [{port: 80}]
            """));

        Assert.Equal(
            [
                new FieldError("items[0].metadata.labels[kubernetes.io/service-name]", "required"),
                new FieldError("items[0].endpoints[0].addresses[0]", "must be a valid IPv4 address, got \"fd00::1\""),
            ],
            error.Errors);
    }
}
