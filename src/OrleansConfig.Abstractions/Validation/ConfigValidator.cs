using System.Net.Sockets;
using System.Text;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>
/// Kubernetes' validation rules for the Service, Endpoints and EndpointSlice fields this project keeps. Every rule that
/// fails is reported, each with the path of its field, the offending value and the rule.
/// </summary>
public static class ConfigValidator
{
    /// <summary>The lowest port number.</summary>
    public const int MinPort = 1;
    /// <summary>The highest port number.</summary>
    public const int MaxPort = 65535;
    /// <summary>The most ports one Service may have.</summary>
    public const int MaxPortsPerService = 1000;
    /// <summary>The most subsets one Endpoints may have.</summary>
    public const int MaxSubsetsPerEndpoints = 1000;
    /// <summary>The most addresses (ready and not) one subset may have.</summary>
    public const int MaxAddressesPerSubset = 10_000;
    /// <summary>The most ports one subset may have.</summary>
    public const int MaxPortsPerSubset = 1000;
    /// <summary>The most external IPs one Service may have.</summary>
    public const int MaxExternalIPs = 1000;
    /// <summary>The most load balancer ingress entries one Service may have.</summary>
    public const int MaxLoadBalancerIngress = 1000;
    /// <summary>The most cluster IPs one Service may have (one per IP family).</summary>
    public const int MaxClusterIPs = 2;
    /// <summary>The largest total size of one item's annotations, keys and values, in bytes (Kubernetes' limit).</summary>
    public const int MaxAnnotationsBytes = 256 * 1024;
    /// <summary>The most endpoints one EndpointSlice may have.</summary>
    public const int MaxEndpointsPerSlice = 1000;
    /// <summary>The most addresses one endpoint of an EndpointSlice may have.</summary>
    public const int MaxAddressesPerSliceEndpoint = 100;
    /// <summary>The most ports one EndpointSlice may have.</summary>
    public const int MaxPortsPerSlice = 100;
    /// <summary>The most zones one endpoint's <c>hints.forZones</c> may name.</summary>
    public const int MaxForZones = 8;
    /// <summary>The longest ClientIP affinity timeout: one day.</summary>
    public const int MaxSessionAffinityTimeoutSeconds = 86400;

    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] SessionAffinities = ["None", "ClientIP"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] AddressTypes =
        [EndpointSlice.AddressTypes.IPv4, EndpointSlice.AddressTypes.IPv6, EndpointSlice.AddressTypes.Fqdn];

    /// <summary>Validates one Service; <paramref name="path"/> prefixes every error's path.</summary>
    public static IReadOnlyList<FieldError> Validate(Service service, string path = "")
    {
        var errors = new FieldErrorList(path);
        ValidateService(service, errors);
        return errors.Errors;
    }

    /// <summary>Validates one Endpoints; <paramref name="path"/> prefixes every error's path.</summary>
    public static IReadOnlyList<FieldError> Validate(Endpoints endpoints, string path = "")
    {
        var errors = new FieldErrorList(path);
        ValidateEndpoints(endpoints, errors);
        return errors.Errors;
    }

    /// <summary>Validates one EndpointSlice; <paramref name="path"/> prefixes every error's path.</summary>
    public static IReadOnlyList<FieldError> Validate(EndpointSlice slice, string path = "")
    {
        var errors = new FieldErrorList(path);
        ValidateEndpointSlice(slice, errors);
        return errors.Errors;
    }

    /// <summary>
    /// Validates whole lists, as one update carries them: items at <c>services[i]</c> and <c>endpoints[i]</c>,
    /// and a <c>namespace/name</c> given twice within one list is an error.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(IReadOnlyList<Service>? services, IReadOnlyList<Endpoints>? endpoints)
    {
        var errors = new FieldErrorList();
        ValidateItems(services, "services", ValidateService, errors);
        ValidateItems(endpoints, "endpoints", ValidateEndpoints, errors);
        return errors.Errors;
    }

    /// <summary>
    /// Validates an update as a source grain receives it. <see cref="Operation.Remove"/> items only name what
    /// to delete, so only their <c>metadata.name</c> and <c>metadata.namespace</c> are checked.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(SourceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var errors = new FieldErrorList();
        if (update.Services is { } services)
        {
            ValidateUpdate(services.Op, services.Services, "services", ValidateService, errors);
        }
        if (update.Endpoints is { } endpoints)
        {
            ValidateUpdate(endpoints.Op, endpoints.Endpoints, "endpoints", ValidateEndpoints, errors);
        }
        if (update.EndpointSlices is { } slices)
        {
            ValidateUpdate(slices.Op, slices.Slices, "endpointSlices", ValidateEndpointSlice, errors);
        }
        return errors.Errors;
    }

    internal static void ValidateService(Service? service, FieldErrorList errors)
    {
        if (service is null)
        {
            errors.Add("required");
            return;
        }
        ValidateMetadata(service.Metadata, NameRules.Dns1035Label, errors);
        using (errors.Path.Field("spec")) ValidateSpec(service.Spec, errors);
        if (service.Status?.LoadBalancer is { } loadBalancer)
        {
            using (errors.Path.Field("status"))
            using (errors.Path.Field("loadBalancer"))
            using (errors.Path.Field("ingress"))
            {
                ValidateIngress(loadBalancer.Ingress ?? ValueList<LoadBalancerIngress>.Empty, errors);
            }
        }
    }

    internal static void ValidateEndpoints(Endpoints? endpoints, FieldErrorList errors)
    {
        if (endpoints is null)
        {
            errors.Add("required");
            return;
        }
        // Endpoints share their Service's name, so the wider DNS-1123 subdomain rule admits every Service name.
        ValidateMetadata(endpoints.Metadata, NameRules.Dns1123Subdomain, errors);
        using var subsetsScope = errors.Path.Field("subsets");
        var subsets = endpoints.Subsets ?? ValueList<EndpointSubset>.Empty;
        if (subsets.Count > MaxSubsetsPerEndpoints)
        {
            errors.Add(TooMany(MaxSubsetsPerEndpoints, subsets.Count));
            return;
        }
        for (var i = 0; i < subsets.Count; i++)
        {
            using (errors.Path.Index(i)) ValidateSubset(subsets[i], errors);
        }
    }

    internal static void ValidateEndpointSlice(EndpointSlice? slice, FieldErrorList errors)
    {
        if (slice is null)
        {
            errors.Add("required");
            return;
        }
        ValidateMetadata(slice.Metadata, NameRules.Dns1123Subdomain, errors);
        using (errors.Path.Field("metadata"))
        using (errors.Path.Field("labels"))
        {
            // The merge finds a slice's Service by this label, so a slice without it could never be served.
            if (slice.Metadata?.Labels is not { } labels || !labels.TryGetValue(EndpointSlice.ServiceNameLabel, out var service))
            {
                using (errors.Path.Key(EndpointSlice.ServiceNameLabel)) errors.Add("required");
            }
            else if (NameRules.Dns1035Label(service ?? "") is { } message)
            {
                using (errors.Path.Key(EndpointSlice.ServiceNameLabel)) errors.Add(message);
            }
        }
        var type = slice.AddressType;
        if (IsEmpty(type)) errors.AddAt("addressType", "required");
        else if (!AddressTypes.Contains(type)) errors.AddAt("addressType", OneOf(AddressTypes, type));
        using (errors.Path.Field("endpoints"))
        {
            ValidateEach(slice.Endpoints ?? ValueList<SliceEndpoint>.Empty, MaxEndpointsPerSlice, errors,
                (endpoint, errors) => ValidateSliceEndpoint(endpoint, type, errors));
        }
        using var portsScope = errors.Path.Field("ports");
        var ports = slice.Ports ?? ValueList<EndpointPort>.Empty;
        var names = new HashSet<string>(StringComparer.Ordinal);
        ValidateEach(ports, MaxPortsPerSlice, errors, (port, errors) =>
        {
            // Unlike an Endpoints subset, a slice may have one unnamed port among several: names need only be unique.
            var name = port.Name ?? "";
            if (name.Length > 0 && NameRules.Dns1123Label(name) is { } message) errors.AddAt("name", message);
            else if (!names.Add(name)) errors.AddAt("name", $"duplicate value {ErrorText.Quote(name)}");
            ValidatePortNumber("port", port.Port, errors);
            ValidateProtocol(port.Protocol, errors);
        });
    }

    private static void ValidateSliceEndpoint(SliceEndpoint endpoint, string? addressType, FieldErrorList errors)
    {
        using (errors.Path.Field("addresses"))
        {
            var addresses = endpoint.Addresses ?? ValueList<string>.Empty;
            if (addresses.Count == 0) errors.Add("must have at least 1 item");
            else if (addresses.Count > MaxAddressesPerSliceEndpoint) errors.Add(TooMany(MaxAddressesPerSliceEndpoint, addresses.Count));
            else
            {
                for (var i = 0; i < addresses.Count; i++)
                {
                    if (SliceAddressError(addresses[i] ?? "", addressType) is not { } message) continue;
                    using (errors.Path.Index(i)) errors.Add(message);
                }
            }
        }
        if (!IsEmpty(endpoint.Hostname) && NameRules.Dns1123Label(endpoint.Hostname) is { } hostError)
        {
            errors.AddAt("hostname", hostError);
        }
        if (!IsEmpty(endpoint.NodeName) && NameRules.Dns1123Subdomain(endpoint.NodeName) is { } nodeError)
        {
            errors.AddAt("nodeName", nodeError);
        }
        // Zones are the values of the topology.kubernetes.io/zone node label.
        if (!IsEmpty(endpoint.Zone) && NameRules.LabelValue(endpoint.Zone) is { } zoneError) errors.AddAt("zone", zoneError);
        var zones = endpoint.ForZones ?? ValueList<string>.Empty;
        using var hintsScope = errors.Path.Field("hints");
        using var zonesScope = errors.Path.Field("forZones");
        if (zones.Count > MaxForZones)
        {
            errors.Add(TooMany(MaxForZones, zones.Count));
            return;
        }
        for (var i = 0; i < zones.Count; i++)
        {
            using var scope = errors.Path.Index(i);
            if (IsEmpty(zones[i])) errors.AddAt("name", "required");
            else if (NameRules.LabelValue(zones[i]) is { } message) errors.AddAt("name", message);
        }
    }

    /// <summary>An address as its slice's type wants it; an unknown type is reported once, at <c>addressType</c>.</summary>
    private static string? SliceAddressError(string address, string? addressType) => addressType switch
    {
        EndpointSlice.AddressTypes.IPv4 when !IpRules.IsIPv4(address) =>
            $"must be a valid IPv4 address, got {ErrorText.Quote(address)}",
        EndpointSlice.AddressTypes.IPv6 when !IpRules.IsIPv6(address) =>
            $"must be a valid IPv6 address, got {ErrorText.Quote(address)}",
        EndpointSlice.AddressTypes.Fqdn => NameRules.Dns1123Subdomain(address),
        _ => null,
    };

    /// <summary>Reports each item whose <c>namespace/name</c> an earlier item of the same list already has.</summary>
    internal static void AddDuplicateErrors<T>(IReadOnlyList<T?> items, Func<int, string> pathOf, List<FieldError> errors)
        where T : class, IConfigItem
    {
        var seen = new Dictionary<ObjectKey, int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            // A missing name is reported on its own; two of them are not also duplicates.
            if (items[i]?.Metadata is not { Name.Length: > 0 } metadata) continue;
            if (seen.TryAdd(metadata.Key, i)) continue;
            errors.Add(new FieldError(
                Join(pathOf(i), "metadata.name"),
                $"duplicate {ErrorText.Quote(metadata.Key.ToString())} (also at {pathOf(seen[metadata.Key])})"));
        }
    }

    private static void ValidateUpdate<T>(
        Operation op, IReadOnlyList<T>? items, string field, Action<T?, FieldErrorList> validate, FieldErrorList errors)
        where T : class, IConfigItem
    {
        if (items is null)
        {
            // The model never holds a null list; one here is a sender's bug, refused rather than read as empty.
            errors.AddAt(field, "required");
            return;
        }
        switch (op)
        {
            case Operation.Set or Operation.Add:
                ValidateItems(items, field, validate, errors);
                break;
            case Operation.Remove:
                ValidateItems(items, field, static (item, e) => ValidateKey(item, e), errors, checkDuplicates: false);
                break;
            default:
                errors.AddAt(field, $"must have an operation of Set, Add or Remove, got {(int)op}");
                break;
        }
    }

    private static void ValidateItems<T>(
        IReadOnlyList<T>? items, string field, Action<T?, FieldErrorList> validate, FieldErrorList errors, bool checkDuplicates = true)
        where T : class, IConfigItem
    {
        if (items is null) return;
        using (errors.Path.Field(field))
        {
            for (var i = 0; i < items.Count; i++)
            {
                using (errors.Path.Index(i)) validate(items[i], errors);
            }
        }
        if (checkDuplicates) AddDuplicateErrors(items, i => $"{field}[{i}]", errors.Errors);
    }

    private static void ValidateKey(IConfigItem? item, FieldErrorList errors)
    {
        if (item is null)
        {
            errors.Add("required");
            return;
        }
        using var scope = errors.Path.Field("metadata");
        if (item.Metadata is not { } metadata)
        {
            errors.Add("required");
            return;
        }
        ValidateName(metadata.Name, item is Service ? NameRules.Dns1035Label : NameRules.Dns1123Subdomain, errors);
        ValidateNamespace(metadata.Namespace, errors);
    }

    private static void ValidateMetadata(ObjectMeta? metadata, Func<string, string?> nameRule, FieldErrorList errors)
    {
        using var scope = errors.Path.Field("metadata");
        if (metadata is null)
        {
            errors.Add("required");
            return;
        }
        ValidateName(metadata.Name, nameRule, errors);
        ValidateNamespace(metadata.Namespace, errors);
        using (errors.Path.Field("labels")) ValidateLabels(metadata.Labels, errors);
        using (errors.Path.Field("annotations")) ValidateAnnotations(metadata.Annotations, errors);
    }

    private static void ValidateName(string? name, Func<string, string?> rule, FieldErrorList errors)
    {
        if (string.IsNullOrEmpty(name)) errors.AddAt("name", "required");
        else if (rule(name) is { } message) errors.AddAt("name", message);
    }

    private static void ValidateNamespace(string? ns, FieldErrorList errors)
    {
        if (string.IsNullOrEmpty(ns)) errors.AddAt("namespace", "required");
        else if (NameRules.Dns1123Label(ns) is { } message) errors.AddAt("namespace", message);
    }

    /// <summary>Label keys and values (also a selector's): key errors at the map, value errors at the key.</summary>
    private static void ValidateLabels(ValueMap? labels, FieldErrorList errors)
    {
        if (labels is null) return;
        foreach (var (key, value) in labels)
        {
            if (NameRules.QualifiedName(key, "label key") is { } keyError) errors.Add(keyError);
            if (NameRules.LabelValue(value ?? "") is { } valueError)
            {
                using (errors.Path.Key(key)) errors.Add(valueError);
            }
        }
    }

    private static void ValidateAnnotations(ValueMap? annotations, FieldErrorList errors)
    {
        if (annotations is null) return;
        long size = 0;
        foreach (var (key, value) in annotations)
        {
            if (NameRules.QualifiedName(key, "annotation key", prefixIgnoresCase: true) is { } keyError) errors.Add(keyError);
            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
        }
        if (size > MaxAnnotationsBytes)
        {
            errors.Add($"must have at most {MaxAnnotationsBytes} bytes in total, got {size}");
        }
    }

    private static void ValidateSpec(ServiceSpec? spec, FieldErrorList errors)
    {
        if (spec is null)
        {
            errors.Add("required");
            return;
        }
        // Kubernetes defaults an unset type to ClusterIP before it validates.
        var type = IsEmpty(spec.Type) ? "ClusterIP" : spec.Type;
        if (!ServiceTypes.Contains(type)) errors.AddAt("type", OneOf(ServiceTypes, type));
        var headless = spec.ClusterIP == "None";
        if (!IsEmpty(spec.ClusterIP))
        {
            if (!headless && !IpRules.IsIP(spec.ClusterIP))
            {
                errors.AddAt("clusterIP", $"must be a valid IPv4 or IPv6 address, \"\" or \"None\", got {ErrorText.Quote(spec.ClusterIP)}");
            }
            else if (type == "ExternalName")
            {
                errors.AddAt("clusterIP", $"may not be set when type is \"ExternalName\", got {ErrorText.Quote(spec.ClusterIP)}");
            }
            else if (headless && type is "NodePort" or "LoadBalancer")
            {
                errors.AddAt("clusterIP", $"may not be \"None\" when type is {ErrorText.Quote(type)}");
            }
        }
        using (errors.Path.Field("clusterIPs")) ValidateClusterIPs(spec.ClusterIPs ?? ValueList<string>.Empty, spec.ClusterIP, errors);
        using (errors.Path.Field("ports")) ValidateServicePorts(spec.Ports ?? ValueList<ServicePort>.Empty, type, headless, errors);
        using (errors.Path.Field("selector")) ValidateLabels(spec.Selector, errors);
        if (!IsEmpty(spec.SessionAffinity) && !SessionAffinities.Contains(spec.SessionAffinity))
        {
            errors.AddAt("sessionAffinity", OneOf(SessionAffinities, spec.SessionAffinity));
        }
        if (spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is { } timeout && timeout is < 1 or > MaxSessionAffinityTimeoutSeconds)
        {
            errors.AddAt("sessionAffinityConfig.clientIP.timeoutSeconds", Between(1, MaxSessionAffinityTimeoutSeconds, timeout));
        }
        using (errors.Path.Field("externalIPs")) ValidateIPs(spec.ExternalIPs ?? ValueList<string>.Empty, MaxExternalIPs, errors);
        if (type == "ExternalName")
        {
            if (IsEmpty(spec.ExternalName))
            {
                errors.AddAt("externalName", "required when type is \"ExternalName\"");
            }
            else if (NameRules.Dns1123Subdomain(TrimFinalDot(spec.ExternalName)) is { } message)
            {
                errors.AddAt("externalName", message);
            }
        }
        if (!IsEmpty(spec.ExternalTrafficPolicy) && !TrafficPolicies.Contains(spec.ExternalTrafficPolicy))
        {
            errors.AddAt("externalTrafficPolicy", OneOf(TrafficPolicies, spec.ExternalTrafficPolicy));
        }
        if (!IsEmpty(spec.InternalTrafficPolicy) && !TrafficPolicies.Contains(spec.InternalTrafficPolicy))
        {
            errors.AddAt("internalTrafficPolicy", OneOf(TrafficPolicies, spec.InternalTrafficPolicy));
        }
        if (!IsEmpty(spec.LoadBalancerIP) && !IpRules.IsIP(spec.LoadBalancerIP))
        {
            errors.AddAt("loadBalancerIP", NotAnIP(spec.LoadBalancerIP));
        }
    }

    private static void ValidateClusterIPs(ValueList<string> clusterIPs, string? clusterIP, FieldErrorList errors)
    {
        if (clusterIPs.Count > MaxClusterIPs)
        {
            errors.Add(TooMany(MaxClusterIPs, clusterIPs.Count));
            return;
        }
        var first = AddressFamily.Unknown;
        for (var i = 0; i < clusterIPs.Count; i++)
        {
            var value = clusterIPs[i];
            using var scope = errors.Path.Index(i);
            if (i == 0 && value == "None")
            {
                if (!IsEmpty(clusterIP) && clusterIP != value)
                {
                    errors.Add($"must equal clusterIP {ErrorText.Quote(clusterIP)}, got \"None\"");
                }
                continue;
            }
            var family = IpRules.FamilyOf(value);
            if (family == AddressFamily.Unknown)
            {
                errors.Add(i == 0
                    ? $"must be a valid IPv4 or IPv6 address or \"None\", got {ErrorText.Quote(value)}"
                    : NotAnIP(value));
            }
            else if (i == 0)
            {
                first = family;
                if (!IsEmpty(clusterIP) && clusterIP != value)
                {
                    errors.Add($"must equal clusterIP {ErrorText.Quote(clusterIP)}, got {ErrorText.Quote(value)}");
                }
            }
            else if (clusterIPs[0] == "None")
            {
                errors.Add($"may not be set when clusterIPs[0] is \"None\", got {ErrorText.Quote(value)}");
            }
            else if (family == first)
            {
                errors.Add($"must be of a different IP family than clusterIPs[0], got {ErrorText.Quote(value)}");
            }
        }
    }

    private static void ValidateServicePorts(ValueList<ServicePort> ports, string type, bool headless, FieldErrorList errors)
    {
        if (ports.Count > MaxPortsPerService)
        {
            errors.Add(TooMany(MaxPortsPerService, ports.Count));
            return;
        }
        if (ports.Count == 0)
        {
            if (!headless && type != "ExternalName")
            {
                errors.Add("must have at least one port unless type is \"ExternalName\" or clusterIP is \"None\"");
            }
            return;
        }
        var names = ports.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < ports.Count; i++)
        {
            using var scope = errors.Path.Index(i);
            if (ports[i] is not { } port)
            {
                errors.Add("required");
                continue;
            }
            ValidatePortName(port.Name, names, "the service", errors);
            ValidateProtocol(port.Protocol, errors);
            ValidatePortNumber("port", port.Port, errors);
            if (port.TargetPort is { } target)
            {
                if (target.StringValue is { } name)
                {
                    if (NameRules.IanaServiceName(name) is { } message) errors.AddAt("targetPort", message);
                }
                else if (target.IntValue is { } number)
                {
                    ValidatePortNumber("targetPort", number, errors);
                }
                else
                {
                    errors.AddAt("targetPort", "must be a port number or a port name, got neither");
                }
            }
            if (port.AppProtocol is { } appProtocol && NameRules.QualifiedName(appProtocol, "appProtocol") is { } invalid)
            {
                errors.AddAt("appProtocol", invalid);
            }
            if (port.NodePort is { } nodePort)
            {
                if (nodePort is < MinPort or > MaxPort) errors.AddAt("nodePort", Between(MinPort, MaxPort, nodePort));
                else if (type is "ClusterIP" or "ExternalName")
                {
                    errors.AddAt("nodePort", $"may not be used when type is {ErrorText.Quote(type)}");
                }
            }
        }
    }

    private static void ValidateSubset(EndpointSubset? subset, FieldErrorList errors)
    {
        if (subset is null)
        {
            errors.Add("required");
            return;
        }
        var addresses = subset.Addresses ?? ValueList<EndpointAddress>.Empty;
        var notReady = subset.NotReadyAddresses ?? ValueList<EndpointAddress>.Empty;
        if (addresses.Count == 0 && notReady.Count == 0)
        {
            errors.Add("must have at least one of addresses or notReadyAddresses");
        }
        using (errors.Path.Field("addresses")) ValidateAddresses(addresses, errors);
        using (errors.Path.Field("notReadyAddresses")) ValidateAddresses(notReady, errors);
        using var portsScope = errors.Path.Field("ports");
        var ports = subset.Ports ?? ValueList<EndpointPort>.Empty;
        var names = ports.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        ValidateEach(ports, MaxPortsPerSubset, errors, (port, errors) =>
        {
            ValidatePortName(port.Name, names, "the subset", errors);
            ValidatePortNumber("port", port.Port, errors);
            ValidateProtocol(port.Protocol, errors);
        });
    }

    private static void ValidateAddresses(ValueList<EndpointAddress> addresses, FieldErrorList errors) =>
        ValidateEach(addresses, MaxAddressesPerSubset, errors, static (address, errors) =>
        {
            if (IsEmpty(address.Ip)) errors.AddAt("ip", "required");
            else if (!IpRules.IsIP(address.Ip)) errors.AddAt("ip", NotAnIP(address.Ip));
            if (!IsEmpty(address.Hostname) && NameRules.Dns1123Label(address.Hostname) is { } hostError)
            {
                errors.AddAt("hostname", hostError);
            }
            if (!IsEmpty(address.NodeName) && NameRules.Dns1123Subdomain(address.NodeName) is { } nodeError)
            {
                errors.AddAt("nodeName", nodeError);
            }
        });

    private static void ValidateIngress(ValueList<LoadBalancerIngress> ingress, FieldErrorList errors) =>
        ValidateEach(ingress, MaxLoadBalancerIngress, errors, static (entry, errors) =>
        {
            if (!IsEmpty(entry.Ip) && !IpRules.IsIP(entry.Ip)) errors.AddAt("ip", NotAnIP(entry.Ip));
            if (!IsEmpty(entry.Hostname) && NameRules.Dns1123Subdomain(entry.Hostname) is { } message)
            {
                errors.AddAt("hostname", message);
            }
        });

    /// <summary>
    /// A bounded list of objects: over <paramref name="max"/> items is the one error reported for it; otherwise each
    /// item is checked at its index, a missing one being "required".
    /// </summary>
    private static void ValidateEach<T>(ValueList<T> items, int max, FieldErrorList errors, Action<T, FieldErrorList> validate)
        where T : class
    {
        if (items.Count > max)
        {
            errors.Add(TooMany(max, items.Count));
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            using var scope = errors.Path.Index(i);
            if (items[i] is not { } item)
            {
                errors.Add("required");
                continue;
            }
            validate(item, errors);
        }
    }

    private static void ValidateIPs(ValueList<string> ips, int max, FieldErrorList errors)
    {
        if (ips.Count > max)
        {
            errors.Add(TooMany(max, ips.Count));
            return;
        }
        for (var i = 0; i < ips.Count; i++)
        {
            if (IpRules.IsIP(ips[i] ?? "")) continue;
            using (errors.Path.Index(i)) errors.Add(NotAnIP(ips[i]));
        }
    }

    /// <summary>Kubernetes' port-name rules (a DNS-1123 label, as kubectl's "80-8080" is), shared by Services and Endpoints.</summary>
    private static void ValidatePortName(string? name, HashSet<string>? names, string owner, FieldErrorList errors)
    {
        if (IsEmpty(name))
        {
            if (names is not null) errors.AddAt("name", $"required when {owner} has more than one port");
        }
        else if (NameRules.Dns1123Label(name) is { } message)
        {
            errors.AddAt("name", message);
        }
        else if (names is not null && !names.Add(name))
        {
            errors.AddAt("name", $"duplicate value {ErrorText.Quote(name)}");
        }
    }

    private static void ValidateProtocol(string? protocol, FieldErrorList errors)
    {
        if (protocol is null || !Protocols.Contains(protocol)) errors.AddAt("protocol", OneOf(Protocols, protocol));
    }

    private static void ValidatePortNumber(string field, int port, FieldErrorList errors)
    {
        if (port is < MinPort or > MaxPort) errors.AddAt(field, Between(MinPort, MaxPort, port));
    }

    private static bool IsEmpty([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? value) => string.IsNullOrEmpty(value);

    private static string TrimFinalDot(string name) => name.Length > 1 && name[^1] == '.' ? name[..^1] : name;

    private static string Join(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";

    private static string OneOf(string[] allowed, string? value) =>
        $"must be one of {string.Join(", ", allowed)}, got {ErrorText.Quote(value)}";

    private static string Between(int min, int max, long value) => $"must be between {min} and {max}, got {value}";

    private static string TooMany(int max, int count) => $"must have at most {max} items, got {count}";

    private static string NotAnIP(string? value) => $"must be a valid IPv4 or IPv6 address, got {ErrorText.Quote(value)}";
}
