using Xunit;

namespace OrleansConfig.Tests.Validation;

public class EndpointSliceValidationTests
{
    private static readonly EndpointSlice Slice = new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web-abc12", Namespace = "shop", Labels = ValueMap.From([KeyValuePair.Create("kubernetes.io/service-name", "web")]),
        },
        AddressType = "IPv4",
        Endpoints = [new SliceEndpoint { Addresses = ["10.0.0.1"], Hostname = "web-0", NodeName = "node-a", Zone = "zone-a", ForZones = ["zone-a"] }],
        Ports = [new EndpointPort { Name = "http", Port = 8080 }, new EndpointPort { Port = 9090 }],
    };

    [Fact]
    public void A_valid_slice_has_no_errors()
    {
        Assert.Empty(ConfigValidator.Validate(Slice));
        Assert.Empty(ConfigValidator.Validate(Slice with
        {
            AddressType = "IPv6", Endpoints = [new SliceEndpoint { Addresses = ["fd00::1"] }],
        }));
        Assert.Empty(ConfigValidator.Validate(Slice with
        {
            AddressType = "FQDN", Endpoints = [new SliceEndpoint { Addresses = ["db.example.com"] }],
        }));
    }

    [Fact]
    public void Addresses_must_match_the_address_type()
    {
        var slice = Slice with
        {
            Endpoints =
            [
                new SliceEndpoint { Addresses = ["10.0.0.1", "fd00::1", "01.2.3.4"] },
                new SliceEndpoint { Addresses = [] },
            ],
        };
        var v6 = Slice with { AddressType = "IPv6", Endpoints = [new SliceEndpoint { Addresses = ["10.0.0.1"] }] };
        var fqdn = Slice with { AddressType = "FQDN", Endpoints = [new SliceEndpoint { Addresses = ["Db_1"] }] };

        Assert.Equal(
            [
                new FieldError("endpointSlices[0].endpoints[0].addresses[1]", "must be a valid IPv4 address, got \"fd00::1\""),
                new FieldError("endpointSlices[0].endpoints[0].addresses[2]", "must be a valid IPv4 address, got \"01.2.3.4\""),
                new FieldError("endpointSlices[0].endpoints[1].addresses", "must have at least 1 item"),
            ],
            ConfigValidator.Validate(slice, "endpointSlices[0]"));
        Assert.Equal([new FieldError("endpoints[0].addresses[0]", "must be a valid IPv6 address, got \"10.0.0.1\"")], ConfigValidator.Validate(v6));
        Assert.Equal(
            [
                new FieldError("endpoints[0].addresses[0]",
                    "invalid DNS-1123 subdomain \"Db_1\": must consist of lower case alphanumeric characters, '-' or '.', " +
                    "and must start and end with an alphanumeric character"),
            ],
            ConfigValidator.Validate(fqdn));
    }

    [Fact]
    public void Address_type_and_service_name_label_are_required()
    {
        var slice = Slice with { AddressType = "", Metadata = Slice.Metadata with { Labels = ValueMap.Empty } };
        var wrong = Slice with
        {
            AddressType = "IPv5",
            Metadata = Slice.Metadata with { Labels = ValueMap.From([KeyValuePair.Create("kubernetes.io/service-name", "9web")]) },
        };

        Assert.Equal(
            [new FieldError("metadata.labels[kubernetes.io/service-name]", "required"), new FieldError("addressType", "required")],
            ConfigValidator.Validate(slice));
        Assert.Equal(
            [
                new FieldError("metadata.labels[kubernetes.io/service-name]",
                    "invalid DNS-1035 label \"9web\": must consist of lower case alphanumeric characters or '-', start with a letter " +
                    "and end with an alphanumeric character"),
                new FieldError("addressType", "must be one of IPv4, IPv6, FQDN, got \"IPv5\""),
            ],
            ConfigValidator.Validate(wrong));
    }

    [Fact]
    public void Kubernetes_limits_on_endpoints_addresses_ports_and_zones_hold()
    {
        var endpoints = Slice with
        {
            Endpoints = ValueList.Create(Enumerable.Range(0, 1001).Select(i => new SliceEndpoint { Addresses = ["10.0.0.1"] }).ToArray()),
        };
        var addresses = Slice with
        {
            Endpoints = [new SliceEndpoint { Addresses = ValueList.Create(Enumerable.Range(0, 101).Select(i => $"10.0.0.{i}").ToArray()) }],
        };
        var ports = Slice with { Ports = ValueList.Create(Enumerable.Range(1, 101).Select(i => new EndpointPort { Name = $"p{i}", Port = i }).ToArray()) };
        var zones = Slice with
        {
            Endpoints = [new SliceEndpoint { Addresses = ["10.0.0.1"], ForZones = ["a", "b", "c", "d", "e", "f", "g", "h", "i"] }],
        };

        Assert.Equal([new FieldError("endpoints", "must have at most 1000 items, got 1001")], ConfigValidator.Validate(endpoints));
        Assert.Equal([new FieldError("endpoints[0].addresses", "must have at most 100 items, got 101")], ConfigValidator.Validate(addresses));
        Assert.Equal([new FieldError("ports", "must have at most 100 items, got 101")], ConfigValidator.Validate(ports));
        Assert.Equal([new FieldError("endpoints[0].hints.forZones", "must have at most 8 items, got 9")], ConfigValidator.Validate(zones));
    }

    [Fact]
    public void Ports_host_names_nodes_and_zones_follow_kubernetes_rules()
    {
        var slice = Slice with
        {
            Endpoints = [new SliceEndpoint { Addresses = ["10.0.0.1"], Hostname = "web.0", NodeName = "Node", Zone = "zone a", ForZones = [""] }],
            Ports =
            [
                new EndpointPort { Name = "http", Port = 0 },
                new EndpointPort { Name = "http", Port = 80, Protocol = "HTTP" },
                new EndpointPort { Port = 81 },
                new EndpointPort { Port = 82 },
            ],
        };

        Assert.Equal(
            [
                "endpoints[0].hostname: invalid DNS-1123 label \"web.0\": must consist of lower case alphanumeric characters or '-', " +
                    "and must start and end with an alphanumeric character",
                "endpoints[0].nodeName: invalid DNS-1123 subdomain \"Node\": must consist of lower case alphanumeric characters, '-' or '.', " +
                    "and must start and end with an alphanumeric character",
                "endpoints[0].zone: invalid label value \"zone a\": must consist of alphanumeric characters, '-', '_' or '.', " +
                    "and must start and end with an alphanumeric character",
                "endpoints[0].hints.forZones[0].name: required",
                "ports[0].port: must be between 1 and 65535, got 0",
                "ports[1].name: duplicate value \"http\"",
                "ports[1].protocol: must be one of TCP, UDP, SCTP, got \"HTTP\"",
                "ports[3].name: duplicate value \"\"",
            ],
            ConfigValidator.Validate(slice).Select(e => e.ToString()));
    }

    [Fact]
    public void An_update_names_its_slices_and_removals_check_only_the_key()
    {
        var bad = Slice with { AddressType = "IPv6" };
        var add = new SourceUpdate { EndpointSlices = new EndpointSliceUpdate(Operation.Add, [Slice, bad, Slice]) };
        var remove = new SourceUpdate
        {
            EndpointSlices = new EndpointSliceUpdate(Operation.Remove, [new EndpointSlice { Metadata = new ObjectMeta { Name = "web-abc12" } }]),
        };

        Assert.Equal(
            [
                new FieldError("endpointSlices[1].endpoints[0].addresses[0]", "must be a valid IPv6 address, got \"10.0.0.1\""),
                new FieldError("endpointSlices[1].metadata.name", "duplicate \"shop/web-abc12\" (also at endpointSlices[0])"),
                new FieldError("endpointSlices[2].metadata.name", "duplicate \"shop/web-abc12\" (also at endpointSlices[0])"),
            ],
            ConfigValidator.Validate(add));
        Assert.Empty(ConfigValidator.Validate(remove));
    }
}
