using Xunit;

namespace OrleansConfig.Tests.Validation;

public class ConfigValidatorTests
{
    private static readonly Service Web = new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80, TargetPort = 8080 }] },
    };

    private static readonly Endpoints WebEndpoints = new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Subsets = [
            new EndpointSubset { Addresses = [new EndpointAddress { Ip = "10.0.0.1" }], Ports = [new EndpointPort { Port = 8080 }] }],
    };

    [Fact]
    public void A_valid_service_and_its_endpoints_have_no_errors()
    {
        Assert.Empty(ConfigValidator.Validate(Web));
        Assert.Empty(ConfigValidator.Validate(WebEndpoints));
        Assert.Empty(ConfigValidator.Validate([Web], [WebEndpoints]));
    }

    [Fact]
    public void The_path_prefixes_every_error()
    {
        var service = Web with { Spec = Web.Spec with { Ports = [new ServicePort { Port = 70000 }] } };

        Assert.Equal(
            [new FieldError("services[2].spec.ports[0].port", "must be between 1 and 65535, got 70000")],
            ConfigValidator.Validate(service, "services[2]"));
    }

    [Fact]
    public void Duplicates_within_one_list_name_both_places()
    {
        var other = Web with { Metadata = Web.Metadata with { Name = "api" } };
        IReadOnlyList<Service> services = [Web, other, Web with { Metadata = Web.Metadata with { Namespace = "default" } }, other];

        Assert.Equal(
            [new FieldError("services[3].metadata.name", "duplicate \"shop/api\" (also at services[1])")],
            ConfigValidator.Validate(services, null));
    }

    [Fact]
    public void A_service_and_endpoints_of_one_name_are_not_duplicates()
    {
        Assert.Empty(
            ConfigValidator.Validate([Web],
            [WebEndpoints, WebEndpoints with { Metadata = WebEndpoints.Metadata with { Namespace = "other" } }]));
    }

    [Fact]
    public void Errors_name_the_list_and_index_of_each_item()
    {
        var badService = Web with { Metadata = new ObjectMeta { Name = "Web" } };
        var badEndpoints = WebEndpoints with { Subsets = [], Metadata = new ObjectMeta { Name = "" } };

        Assert.Equal(
            [
                new FieldError("services[1].metadata.name",
                    "invalid DNS-1035 label \"Web\": must consist of lower case alphanumeric characters or '-', start with a letter " +
                    "and end with an alphanumeric character"),
                new FieldError("endpoints[0].metadata.name", "required"),
            ],
            ConfigValidator.Validate([Web, badService], [badEndpoints]));
    }

    [Fact]
    public void Null_items_and_fields_are_errors_not_crashes()
    {
        IReadOnlyList<Service> services = [null!, Web with { Metadata = null!, Spec = null! }];

        Assert.Equal(
            [
                new FieldError("services[0]", "required"),
                new FieldError("services[1].metadata", "required"),
                new FieldError("services[1].spec", "required"),
            ],
            ConfigValidator.Validate(services, null));
    }

    [Fact]
    public void An_update_validates_added_items_whole()
    {
        var keyOnly = new Service { Metadata = new ObjectMeta { Name = "web" } };

        Assert.Equal(
            [new FieldError("services[0].spec.ports",
                "must have at least one port unless type is \"ExternalName\" or clusterIP is \"None\"")],
            ConfigValidator.Validate(new ServiceUpdate(Operation.Add, [keyOnly])));
        Assert.Equal(
            [new FieldError("endpoints[1].metadata.name", "duplicate \"shop/web\" (also at endpoints[0])")],
            ConfigValidator.Validate(new EndpointsUpdate(Operation.Set, [WebEndpoints, WebEndpoints])));
    }

    [Fact]
    public void A_remove_checks_only_the_keys_it_names()
    {
        var keyOnly = new Service { Metadata = new ObjectMeta { Name = "web" } };
        var badKey = new Endpoints { Metadata = new ObjectMeta { Name = "web", Namespace = "Shop" } };

        Assert.Empty(ConfigValidator.Validate(new ServiceUpdate(Operation.Remove, [keyOnly, keyOnly])));
        Assert.Equal(
            [new FieldError("endpoints[0].metadata.namespace",
                "invalid DNS-1123 label \"Shop\": must consist of lower case alphanumeric characters or '-', and must start and end " +
                "with an alphanumeric character")],
            ConfigValidator.Validate(
                new SourceUpdate { Services = new ServiceUpdate(Operation.Remove, [keyOnly]),
                Endpoints = new EndpointsUpdate(Operation.Remove, [badKey]) }));
    }

    [Fact]
    public void An_update_without_a_list_or_with_an_unknown_operation_is_refused()
    {
        Assert.Equal(
            [new FieldError("services", "required"), new FieldError("endpoints", "must have an operation of Set, Add or Remove, got 7")],
            ConfigValidator.Validate(new SourceUpdate
            {
                Services = new ServiceUpdate(Operation.Set, null!),
                Endpoints = new EndpointsUpdate((Operation)7, [WebEndpoints]),
            }));
    }

    [Fact]
    public void Dual_stack_cluster_ips_are_accepted()
    {
        var service = Web with { Spec = Web.Spec with { ClusterIP = "10.96.0.1", ClusterIPs = ["10.96.0.1", "fd00::1"] } };

        Assert.Empty(ConfigValidator.Validate(service));
    }

    [Fact]
    public void A_headless_service_needs_no_ports_but_keeps_none_in_cluster_ips_first()
    {
        var headless = Web with { Spec = new ServiceSpec { ClusterIP = "None", ClusterIPs = ["None"] } };
        var tooMany = headless with { Spec = headless.Spec with { ClusterIPs = ["None", "10.0.0.1"] } };

        Assert.Empty(ConfigValidator.Validate(headless));
        Assert.Equal(
            [new FieldError("spec.clusterIPs[1]", "may not be set when clusterIPs[0] is \"None\", got \"10.0.0.1\"")],
            ConfigValidator.Validate(tooMany));
    }

    [Fact]
    public void An_external_name_may_end_with_a_dot()
    {
        var service =
            new Service { Metadata = Web.Metadata, Spec = new ServiceSpec { Type = "ExternalName", ExternalName = "db.example.com." } };

        Assert.Empty(ConfigValidator.Validate(service));
    }

    [Fact]
    public void Endpoints_names_may_be_subdomains()
    {
        Assert.Empty(ConfigValidator.Validate(WebEndpoints with { Metadata = WebEndpoints.Metadata with { Name = "web.shop.v2" } }));
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        var address = new EndpointAddress { Ip = "10.0.0.1" };
        var port = new EndpointPort { Port = 80 };
        var huge = new Endpoints
        {
            Metadata = new ObjectMeta { Name = "web" },
            Subsets =
            [
                new EndpointSubset { Addresses = [.. Enumerable.Repeat(address, ConfigValidator.MaxAddressesPerSubset + 1)],
                    Ports = [port] },
                new EndpointSubset { NotReadyAddresses = [address],
                    Ports = [.. Enumerable.Repeat(port, ConfigValidator.MaxPortsPerSubset + 1)] },
            ],
        };
        var tooManySubsets =
            huge with { Subsets = [
            .. Enumerable.Repeat(new EndpointSubset { Addresses = [address] }, ConfigValidator.MaxSubsetsPerEndpoints + 1)] };

        Assert.Equal(
            [
                new FieldError("subsets[0].addresses", "must have at most 10000 items, got 10001"),
                new FieldError("subsets[1].ports", "must have at most 1000 items, got 1001"),
            ],
            ConfigValidator.Validate(huge));
        Assert.Equal([new FieldError("subsets", "must have at most 1000 items, got 1001")], ConfigValidator.Validate(tooManySubsets));
    }

    [Fact]
    public void Annotations_count_utf8_bytes_of_keys_and_values()
    {
        var withinLimit = Web with
        {
            Metadata =
                Web.Metadata with { Annotations = ValueMap.From(
                [KeyValuePair.Create("note", new string('é', (ConfigValidator.MaxAnnotationsBytes - 4) / 2))]) },
        };
        var overLimit =
            withinLimit with { Metadata = withinLimit.Metadata with { Annotations = withinLimit.Metadata.Annotations.With("x", "") } };

        Assert.Empty(ConfigValidator.Validate(withinLimit));
        Assert.Equal(
            [new FieldError("metadata.annotations", "must have at most 262144 bytes in total, got 262145")],
            ConfigValidator.Validate(overLimit));
    }

    [Fact]
    public void Every_failing_rule_of_one_service_is_reported()
    {
        var service = new Service
        {
            Metadata = new ObjectMeta { Name = "", Namespace = "" },
            Spec = new ServiceSpec
            {
                Type = "Bogus",
                ClusterIP = "10.0.0.300",
                Ports = [new ServicePort { Port = 0, Protocol = "", TargetPort = new IntOrString() },
                    new ServicePort { Name = "a-", Port = 1 }],
                SessionAffinity = "Sticky",
                SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 0 } },
                LoadBalancerIP = "x",
            },
        };

        Assert.Equal(
            [
                "metadata.name: required",
                "metadata.namespace: required",
                "spec.type: must be one of ClusterIP, NodePort, LoadBalancer, ExternalName, got \"Bogus\"",
                "spec.clusterIP: must be a valid IPv4 or IPv6 address, \"\" or \"None\", got \"10.0.0.300\"",
                "spec.ports[0].name: required when the service has more than one port",
                "spec.ports[0].protocol: must be one of TCP, UDP, SCTP, got \"\"",
                "spec.ports[0].port: must be between 1 and 65535, got 0",
                "spec.ports[0].targetPort: must be a port number or a port name, got neither",
                "spec.ports[1].name: invalid DNS-1123 label \"a-\": must consist of lower case alphanumeric characters or '-', and " +
                    "must start and end with an alphanumeric character",
                "spec.sessionAffinity: must be one of None, ClientIP, got \"Sticky\"",
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be between 1 and 86400, got 0",
                "spec.loadBalancerIP: must be a valid IPv4 or IPv6 address, got \"x\"",
            ],
            ConfigValidator.Validate(service).Select(e => e.ToString()));
    }
}
