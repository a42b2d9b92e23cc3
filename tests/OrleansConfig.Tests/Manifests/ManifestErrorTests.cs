using Xunit;

namespace OrleansConfig.Tests.Manifests;

public class ManifestErrorTests
{
    private const string Rfc1035 =
        "must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character";
    private const string Rfc1123Label =
        "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Rfc1123Subdomain =
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string NamePart =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string PortRange = "must be between 1 and 65535";
    private const string AnIP = "must be a valid IPv4 or IPv6 address";

    /// <summary>Bad inputs, each with the exact list of errors it must be refused with.</summary>
    public static TheoryData<string, string, FieldError[]> BadInputs => new()
    {
        // Syntax and structure.
        { "trailing comma in JSON", """{"kind": "Service", "metadata": {"name": "web"},}""",
            [E("", "invalid JSON at line 1, byte 49: The JSON object contains a trailing comma at the end which is not supported in " +
                "this mode.")] },
        { "JSON error on a later line", "{\n  \"kind\": \"Service\",\n  \"metadata\": {\"name\": web}\n}",
            [E("", "invalid JSON at line 3, byte 24: 'w' is an invalid start of a value.")] },
        { "YAML indentation error", "kind: Service\nmetadata:\n  name: web\n bad: 1\n",
            [E("", "invalid YAML at line 4, column 2: While parsing a block mapping, did not find expected key.")] },
        { "unterminated YAML quote", "kind: Service\nmetadata: {name: \"web}\n",
            [E("", "invalid YAML at line 2, column 18: While scanning a quoted scalar, found unexpected end of stream.")] },
        { "YAML alias before its anchor", "kind: Service\nmetadata: *meta\n",
            [E("", "invalid YAML at line 2, column 11: unknown anchor \"meta\" (an alias must follow its anchor's node)")] },
        { "a list as a map key", "kind: Service\n? [a, b]\n: c\n",
            [E("", "invalid YAML at line 2, column 3: a map key must be a scalar, not an object or a list")] },
        { "a top-level JSON array", """[{"kind": "Service"}]""", [E("", "must be an object, got a list")] },
        { "a top-level scalar", "hello", [E("", "must be an object, got \"hello\"")] },
        { "no kind", "metadata: {name: web}", [E("kind", "required, expected Service, Endpoints, EndpointSlice or a List")] },
        { "a kind that is not a string", "kind: 5", [E("kind", "must be a string, got 5")] },
        { "an unsupported kind", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}",
            [E("kind", "unsupported kind \"Deployment\", expected Service, Endpoints, EndpointSlice or a List")] },
        { "an unsupported apiVersion", "apiVersion: apps/v1\nkind: Service\nmetadata: {name: web}",
            [E("apiVersion", "unsupported apiVersion \"apps/v1\", expected \"v1\"")] },
        { "a config map in a list",
            """{"kind":"List","items":[{"kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}},{"kind":"ConfigMap"}]}""",
            [E("items[1].kind", "unsupported kind \"ConfigMap\", expected Service, Endpoints, EndpointSlice or a List")] },
        { "an item without a kind in a plain list", "kind: List\nitems:\n- metadata: {name: a}\n",
            [E("items[0].kind", "required, expected Service, Endpoints, EndpointSlice or a List")] },
        { "endpoints in a service list", "kind: ServiceList\nitems:\n- kind: Endpoints\n  metadata: {name: a}\n",
            [E("items[0].kind", "unsupported kind \"Endpoints\" in a ServiceList, expected Service")] },
        { "items that are not a list", "kind: List\nitems: web", [E("items", "must be a list, got \"web\"")] },
        { "a config map in a second YAML document",
            "kind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\nkind: ConfigMap\n",
            [E("documents[1].kind", "unsupported kind \"ConfigMap\", expected Service, Endpoints, EndpointSlice or a List")] },
        { "a bad port in a list in a second YAML document",
            "kind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\nkind: List\nitems:\n- kind: Service\n  metadata: " +
            "{name: b}\n  spec: {ports: [{port: 0}]}\n",
            [E("documents[1].items[0].spec.ports[0].port", $"{PortRange}, got 0")] },
        { "a duplicate YAML key", "kind: Service\nmetadata:\n  name: web\n  name: web2\nspec: {ports: [{port: 80}]}",
            [E("metadata", "duplicate key \"name\"")] },
        { "a duplicate JSON key", """{"kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80,"port":81}]}}""",
            [E("spec.ports[0]", "duplicate key \"port\"")] },
        { "metadata that is not an object", "kind: Service\nmetadata: web\nspec: {ports: [{port: 80}]}",
            [E("metadata", "must be an object, got \"web\"")] },

        // Metadata.
        { "no name", Service("{ports: [{port: 80}]}", metadata: "{namespace: shop}"), [E("metadata.name", "required")] },
        { "an upper-case name with an underscore", Service("{ports: [{port: 80}]}", metadata: "{name: Web_1}"),
            [E("metadata.name", $"invalid DNS-1035 label \"Web_1\": {Rfc1035}")] },
        { "a service name starting with a digit", Service("{ports: [{port: 80}]}", metadata: "{name: 1web}"),
            [E("metadata.name", $"invalid DNS-1035 label \"1web\": {Rfc1035}")] },
        { "a 64-character name", Service("{ports: [{port: 80}]}", metadata: $"{{name: {new string('a', 64)}}}"),
            [E("metadata.name", $"invalid DNS-1035 label \"{new string('a', 64)}\": must be no more than 63 characters")] },
        { "a NUL in a name", Service("{ports: [{port: 80}]}", metadata: "{name: \"we\\0b\"}"),
            [E("metadata.name", $"invalid DNS-1035 label \"we\\u0000b\": {Rfc1035}")] },
        { "an upper-case namespace", Service("{ports: [{port: 80}]}", metadata: "{name: web, namespace: Shop}"),
            [E("metadata.namespace", $"invalid DNS-1123 label \"Shop\": {Rfc1123Label}")] },
        { "a bad label key", Service("{ports: [{port: 80}]}", metadata: "{name: web, labels: {\"bad key\": x}}"),
            [E("metadata.labels", $"invalid label key \"bad key\": name part {NamePart}")] },
        { "a label key with an upper-case prefix",
            Service("{ports: [{port: 80}]}", metadata: "{name: web, labels: {\"Example.com/app\": x}}"),
            [E("metadata.labels", $"invalid label key \"Example.com/app\": prefix part {Rfc1123Subdomain}")] },
        { "a bad label value", Service("{ports: [{port: 80}]}", metadata: "{name: web, labels: {app: \"a b\"}}"),
            [E("metadata.labels[app]", $"invalid label value \"a b\": {NamePart}")] },
        { "a label value that is a number", Service("{ports: [{port: 80}]}", metadata: "{name: web, labels: {version: 1}}"),
            [E("metadata.labels[version]", "must be a string, got 1")] },
        { "annotations over 256 KiB",
            Service("{ports: [{port: 80}]}", metadata: $"{{name: web, annotations: {{note: {new string('x', 262_141)}}}}}"),
            [E("metadata.annotations", "must have at most 262144 bytes in total, got 262145")] },
        { "an endpoints name with capitals", "kind: Endpoints\nmetadata: {name: Web.Shop}",
            [E("metadata.name", $"invalid DNS-1123 subdomain \"Web.Shop\": {Rfc1123Subdomain}")] },

        // Ports.
        { "a port above 65535", Service("{ports: [{port: 70000}]}"), [E("spec.ports[0].port", $"{PortRange}, got 70000")] },
        { "a missing port number", Service("{ports: [{name: http}]}"), [E("spec.ports[0].port", $"{PortRange}, got 0")] },
        { "a port that is a word", Service("{ports: [{port: abc}]}"), [E("spec.ports[0].port", "must be an integer, got \"abc\"")] },
        { "a quoted port", Service("{ports: [{port: \"80\"}]}"), [E("spec.ports[0].port", "must be an integer, got \"80\"")] },
        { "a fractional port", Service("{ports: [{port: 80.5}]}"), [E("spec.ports[0].port", "must be an integer, got 80.5")] },
        { "a port beyond 32 bits", Service("{ports: [{port: 99999999999}]}"),
            [E("spec.ports[0].port", "must be a 32-bit integer, got 99999999999")] },
        { "an HTTP protocol", Service("{ports: [{port: 80, protocol: HTTP}]}"),
            [E("spec.ports[0].protocol", "must be one of TCP, UDP, SCTP, got \"HTTP\"")] },
        { "a lower-case protocol", Service("{ports: [{port: 80, protocol: tcp}]}"),
            [E("spec.ports[0].protocol", "must be one of TCP, UDP, SCTP, got \"tcp\"")] },
        { "a boolean target port", Service("{ports: [{port: 80, targetPort: true}]}"),
            [E("spec.ports[0].targetPort", "must be an integer or a string, got true")] },
        { "a target port name with capitals", Service("{ports: [{port: 80, targetPort: Http}]}"),
            [E("spec.ports[0].targetPort",
                "invalid port name \"Http\": must contain only lower case alphanumeric characters (a-z, 0-9) and '-'")] },
        { "a quoted numeric target port", Service("{ports: [{port: 80, targetPort: \"8080\"}]}"),
            [E("spec.ports[0].targetPort", "invalid port name \"8080\": must contain at least one letter (a-z)")] },
        { "a target port name over 15 characters", Service("{ports: [{port: 80, targetPort: http-metrics-port}]}"),
            [E("spec.ports[0].targetPort", "invalid port name \"http-metrics-port\": must be no more than 15 characters")] },
        { "a target port name with a double hyphen", Service("{ports: [{port: 80, targetPort: http--a}]}"),
            [E("spec.ports[0].targetPort", "invalid port name \"http--a\": must not contain consecutive '-'")] },
        { "a target port of zero", Service("{ports: [{port: 80, targetPort: 0}]}"),
            [E("spec.ports[0].targetPort", $"{PortRange}, got 0")] },
        { "a node port out of range", Service("{type: NodePort, ports: [{port: 80, nodePort: 70000}]}"),
            [E("spec.ports[0].nodePort", $"{PortRange}, got 70000")] },
        { "a node port on a cluster IP service", Service("{ports: [{port: 80, nodePort: 30080}]}"),
            [E("spec.ports[0].nodePort", "may not be used when type is \"ClusterIP\"")] },
        { "an unnamed second port", Service("{ports: [{name: http, port: 80}, {port: 443}]}"),
            [E("spec.ports[1].name", "required when the service has more than one port")] },
        { "two ports with one name", Service("{ports: [{name: http, port: 80}, {name: http, port: 443}]}"),
            [E("spec.ports[1].name", "duplicate value \"http\"")] },
        { "a port name with capitals", Service("{ports: [{name: HTTP, port: 80}]}"),
            [E("spec.ports[0].name", $"invalid DNS-1123 label \"HTTP\": {Rfc1123Label}")] },
        { "no ports", Service("{selector: {app: web}}"),
            [E("spec.ports", "must have at least one port unless type is \"ExternalName\" or clusterIP is \"None\"")] },
        { "ports that are not a list", Service("{ports: 80}"), [E("spec.ports", "must be a list, got 80")] },
        { "a null port", Service("{ports: [null]}"), [E("spec.ports[0]", "must be an object, got null")] },
        { "more than 1000 ports",
            Service($"{{ports: [{string.Join(", ", Enumerable.Range(1, 1001).Select(i => $"{{name: p{i}, port: {i}}}"))}]}}"),
            [E("spec.ports", "must have at most 1000 items, got 1001")] },

        // The rest of the spec.
        { "an unknown type", Service("{type: Foo, ports: [{port: 80}]}"),
            [E("spec.type", "must be one of ClusterIP, NodePort, LoadBalancer, ExternalName, got \"Foo\"")] },
        { "a cluster IP of three parts", Service("{clusterIP: 1.2.3, ports: [{port: 80}]}"),
            [E("spec.clusterIP", $"{AnIP}, \"\" or \"None\", got \"1.2.3\"")] },
        { "a headless NodePort service", Service("{type: NodePort, clusterIP: None, ports: [{port: 80}]}"),
            [E("spec.clusterIP", "may not be \"None\" when type is \"NodePort\"")] },
        { "clusterIPs that disagree with clusterIP", Service("{clusterIP: 10.0.0.1, clusterIPs: [10.0.0.2], ports: [{port: 80}]}"),
            [E("spec.clusterIPs[0]", "must equal clusterIP \"10.0.0.1\", got \"10.0.0.2\"")] },
        { "two cluster IPs of one family", Service("{clusterIP: 10.0.0.1, clusterIPs: [10.0.0.1, 10.0.0.2], ports: [{port: 80}]}"),
            [E("spec.clusterIPs[1]", "must be of a different IP family than clusterIPs[0], got \"10.0.0.2\"")] },
        { "external IPs a lax parser would take",
            Service("{externalIPs: [1.2.3.4, 01.2.3.4, 256.1.1.1, \"::g\", \"fe80::1%eth0\", 1.2.3], ports: [{port: 80}]}"),
            [
                E("spec.externalIPs[1]", $"{AnIP}, got \"01.2.3.4\""),
                E("spec.externalIPs[2]", $"{AnIP}, got \"256.1.1.1\""),
                E("spec.externalIPs[3]", $"{AnIP}, got \"::g\""),
                E("spec.externalIPs[4]", $"{AnIP}, got \"fe80::1%eth0\""),
                E("spec.externalIPs[5]", $"{AnIP}, got \"1.2.3\""),
            ] },
        { "a load balancer IP of five parts", Service("{type: LoadBalancer, loadBalancerIP: 1.2.3.4.5, ports: [{port: 80}]}"),
            [E("spec.loadBalancerIP", $"{AnIP}, got \"1.2.3.4.5\"")] },
        { "an ExternalName service without a name", Service("{type: ExternalName}"),
            [E("spec.externalName", "required when type is \"ExternalName\"")] },
        { "an external name with an underscore", Service("{type: ExternalName, externalName: db_host.example.com}"),
            [E("spec.externalName", $"invalid DNS-1123 subdomain \"db_host.example.com\": {Rfc1123Subdomain}")] },
        { "an ExternalName service with a cluster IP", Service("{type: ExternalName, externalName: db.example.com, clusterIP: 10.0.0.1}"),
            [E("spec.clusterIP", "may not be set when type is \"ExternalName\", got \"10.0.0.1\"")] },
        { "an unknown session affinity", Service("{sessionAffinity: Sticky, ports: [{port: 80}]}"),
            [E("spec.sessionAffinity", "must be one of None, ClientIP, got \"Sticky\"")] },
        { "a session affinity timeout over a day",
            Service("{sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 86401}}, ports: [{port: 80}]}"),
            [E("spec.sessionAffinityConfig.clientIP.timeoutSeconds", "must be between 1 and 86400, got 86401")] },
        { "the legacy Global traffic policy",
            Service("{type: NodePort, externalTrafficPolicy: Global, internalTrafficPolicy: Everywhere, ports: [{port: 80}]}"),
            [
                E("spec.externalTrafficPolicy", "must be one of Cluster, Local, got \"Global\""),
                E("spec.internalTrafficPolicy", "must be one of Cluster, Local, got \"Everywhere\""),
            ] },
        { "a bad selector value", Service("{ports: [{port: 80}], selector: {app: \"-web\"}}"),
            [E("spec.selector[app]", $"invalid label value \"-web\": {NamePart}")] },
        { "a bad load balancer ingress IP", Service("{ports: [{port: 80}]}") + "status: {loadBalancer: {ingress: [{ip: 1.2.3}]}}",
            [E("status.loadBalancer.ingress[0].ip", $"{AnIP}, got \"1.2.3\"")] },

        // Endpoints.
        { "a subset without addresses", Endpoints("[{ports: [{port: 80}]}]"),
            [E("subsets[0]", "must have at least one of addresses or notReadyAddresses")] },
        { "an address out of range", Endpoints("[{addresses: [{ip: 10.0.0.256}], ports: [{port: 80}]}]"),
            [E("subsets[0].addresses[0].ip", $"{AnIP}, got \"10.0.0.256\"")] },
        { "an address without an IP", Endpoints("[{notReadyAddresses: [{hostname: web-0}], ports: [{port: 80}]}]"),
            [E("subsets[0].notReadyAddresses[0].ip", "required")] },
        { "a host name with a dot", Endpoints("[{addresses: [{ip: 10.0.0.1, hostname: web.0}], ports: [{port: 80}]}]"),
            [E("subsets[0].addresses[0].hostname", $"invalid DNS-1123 label \"web.0\": {Rfc1123Label}")] },
        { "an endpoint port and protocol out of range", Endpoints("[{addresses: [{ip: 10.0.0.1}], ports: [{port: 0, protocol: ICMP}]}]"),
            [E("subsets[0].ports[0].port", $"{PortRange}, got 0"),
                E("subsets[0].ports[0].protocol", "must be one of TCP, UDP, SCTP, got \"ICMP\"")] },
        { "two endpoint ports, one unnamed, one named twice",
            Endpoints("[{addresses: [{ip: 10.0.0.1}], ports: [{name: a, port: 80}, {port: 81}, {name: a, port: 82}]}]"),
            [E("subsets[0].ports[1].name", "required when the subset has more than one port"),
                E("subsets[0].ports[2].name", "duplicate value \"a\"")] },
        { "an address that is a string", Endpoints("[{addresses: [10.0.0.1], ports: [{port: 80}]}]"),
            [E("subsets[0].addresses[0]", "must be an object, got \"10.0.0.1\"")] },

        // Across items.
        { "one service twice in a list",
            "kind: List\nitems:\n- {kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}\n- {kind: Service, metadata: " +
            "{name: web, namespace: default}, spec: {ports: [{port: 81}]}}\n",
            [E("items[1].metadata.name", "duplicate \"default/web\" (also at items[0])")] },
        { "one endpoints in two YAML documents", "kind: Endpoints\nmetadata: {name: web}\n---\nkind: Endpoints\nmetadata: {name: web}\n",
            [E("documents[1].metadata.name", "duplicate \"default/web\" (also at documents[0])")] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_with_exactly_its_errors(string why, string input, FieldError[] expected)
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(input));

        Assert.True(expected.SequenceEqual(error.Errors),
            $"{why}:\n  expected: {string.Join("\n            ", expected.Select(Show))}\n  actual:   " +
            $"{string.Join("\n            ", error.Errors.Select(Show))}");
    }

    [Fact]
    public void Wrong_types_on_different_fields_are_all_reported()
    {
        const string yaml = """
            kind: Service
            metadata:
              name: 5
              labels: {app: [web]}
            spec:
              type: 1
              clusterIPs: [10.0.0.1, 7]
              ports:
              - {name: http, port: "abc", targetPort: {x: 1}, nodePort: true}
              - {name: [x], port: 443, protocol: 6}
              selector: web
              sessionAffinityConfig: {clientIP: {timeoutSeconds: "10"}}
            status: {loadBalancer: {ingress: {ip: 1.2.3.4}}}
            """;

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml));

        Assert.Equal(
            [
                E("metadata.name", "must be a string, got 5"),
                E("metadata.labels[app]", "must be a string, got a list"),
                E("spec.type", "must be a string, got 1"),
                E("spec.clusterIPs[1]", "must be a string, got 7"),
                E("spec.ports[0].port", "must be an integer, got \"abc\""),
                E("spec.ports[0].targetPort", "must be an integer or a string, got an object"),
                E("spec.ports[0].nodePort", "must be an integer, got true"),
                E("spec.ports[1].name", "must be a string, got a list"),
                E("spec.ports[1].protocol", "must be a string, got 6"),
                E("spec.selector", "must be an object, got \"web\""),
                E("spec.sessionAffinityConfig.clientIP.timeoutSeconds", "must be an integer, got \"10\""),
                E("status.loadBalancer.ingress", "must be a list, got an object"),
            ],
            error.Errors);
    }

    [Fact]
    public void Errors_of_every_item_are_reported_together()
    {
        const string yaml = """
            kind: List
            items:
            - {kind: Service, metadata: {name: a}, spec: {ports: [{port: 0}]}}
            - {kind: Service, metadata: {name: b}, spec: {ports: [{port: 80}]}}
            - {kind: Endpoints, metadata: {name: C}, subsets: [{addresses: [{ip: 1.2.3}]}]}
            - {kind: Service, metadata: {name: a}, spec: {ports: [{port: 80, protocol: HTTP}]}}
            """;

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml));

        Assert.Equal(
            [
                E("items[0].spec.ports[0].port", "must be between 1 and 65535, got 0"),
                E("items[2].metadata.name", $"invalid DNS-1123 subdomain \"C\": {Rfc1123Subdomain}"),
                E("items[2].subsets[0].addresses[0].ip", "must be a valid IPv4 or IPv6 address, got \"1.2.3\""),
                E("items[3].spec.ports[0].protocol", "must be one of TCP, UDP, SCTP, got \"HTTP\""),
                E("items[3].metadata.name", "duplicate \"default/a\" (also at items[0])"),
            ],
            error.Errors);
        Assert.Equal(string.Join('\n', error.Errors), error.Message);
    }

    [Fact]
    public void The_message_lists_one_error_per_line_with_its_path()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(Service("{ports: [{port: 70000, protocol: HTTP}]}")));

        Assert.Equal(
            "spec.ports[0].protocol: must be one of TCP, UDP, SCTP, got \"HTTP\"\nspec.ports[0].port: must be between 1 and 65535, got " +
                "70000",
            error.Message);
    }

    private static string Service(string spec, string metadata = "{name: web}") => $"kind: Service\nmetadata: {metadata}\nspec: {spec}\n";

    private static string Endpoints(string subsets) => $"kind: Endpoints\nmetadata: {{name: web}}\nsubsets: {subsets}\n";

    private static FieldError E(string path, string message) => new(path, message);

    private static string Show(FieldError error) => $"[{error.Path}] {error.Message}";
}
