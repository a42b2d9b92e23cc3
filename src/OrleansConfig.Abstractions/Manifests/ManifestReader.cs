using System.Collections.Frozen;
using OrleansConfig.Validation;

namespace OrleansConfig.Manifests;

/// <summary>
/// Maps parsed documents to Services, Endpoints and EndpointSlices, collecting every error with its path: wrong types while
/// reading, then Kubernetes' rules (<see cref="ConfigValidator"/>) on each item read. A field Kubernetes does not know
/// is found where the reader's switch falls through, so checking costs a set lookup only for fields it skips.
/// </summary>
internal sealed class ManifestReader(ManifestLimits limits, FieldValidation fieldValidation = FieldValidation.Ignore)
{
    public const string UnknownField = "unknown field";

    // Paths are user keys: quoted and escaped as Go's %q does, and cut short only when absurd.
    private const int MaxWarningPathLength = 256;

    private const string ExpectedKinds = "expected Service, Endpoints, EndpointSlice or a List";

    /// <summary>The API group version of EndpointSlice and EndpointSliceList.</summary>
    private const string DiscoveryV1 = "discovery.k8s.io/v1";

    private readonly FieldErrorList _errors = new();
    private readonly List<Service> _services = [];
    private readonly List<string> _servicePaths = [];
    private readonly List<Endpoints> _endpoints = [];
    private readonly List<string> _endpointsPaths = [];
    private readonly List<EndpointSlice> _slices = [];
    private readonly List<string> _slicePaths = [];
    private readonly List<string> _warnings = [];
    private int _items;
    private bool _tooManyItems;

    private FieldPath Path => _errors.Path;

    /// <summary>Returns the manifest, or throws <see cref="ManifestException"/> with every error found.</summary>
    public Manifest Read(IReadOnlyList<ManifestDocument> documents)
    {
        // Paths name the document only when there is more than one to tell apart.
        var named = documents.Count > 1;
        for (var i = 0; i < documents.Count && !_tooManyItems; i++)
        {
            if (!named)
            {
                ReadDocument(documents[i]);
                continue;
            }
            using (Path.Field("documents"))
            using (Path.Index(i))
            {
                ReadDocument(documents[i]);
            }
        }
        if (!_tooManyItems)
        {
            ConfigValidator.AddDuplicateErrors(_services, i => _servicePaths[i], _errors.Errors);
            ConfigValidator.AddDuplicateErrors(_endpoints, i => _endpointsPaths[i], _errors.Errors);
            ConfigValidator.AddDuplicateErrors(_slices, i => _slicePaths[i], _errors.Errors);
        }
        if (_errors.Count > 0) throw new ManifestException(_errors.Errors);
        return new Manifest(ValueList.Create<Service>([.. _services]), ValueList.Create<Endpoints>([.. _endpoints]))
        {
            EndpointSlices = ValueList.Create<EndpointSlice>([.. _slices]),
            Warnings = _warnings.Count == 0 ? [] : [.. _warnings],
        };
    }

    private void ReadDocument(ManifestDocument document)
    {
        if (document.Errors.Count > 0)
        {
            var prefix = Path.ToString();
            foreach (var error in document.Errors)
            {
                var path = prefix.Length == 0 ? error.Path : error.Path.Length == 0 ? prefix
                    : error.Path[0] == '[' ? prefix + error.Path : $"{prefix}.{error.Path}";
                _errors.Errors.Add(error with { Path = path });
            }
        }
        // An empty document (or an explicit null) holds nothing.
        if (document.Root is { Kind: not ManifestNodeKind.Null } root) ReadObject(root, listKind: null);
    }

    /// <summary>Reads a document or a list item; <paramref name="listKind"/> is the enclosing list's kind.</summary>
    private void ReadObject(ManifestNode node, string? listKind)
    {
        if (!ExpectMap(node)) return;
        if (ReadKind(node.Get("kind") ?? ManifestNode.Null, listKind) is not { } kind) return;
        // The kind is checked first: "unsupported kind Deployment" says more than "unsupported apps/v1".
        if (!ReadApiVersion(node.Get("apiVersion"), kind is "EndpointSlice" or "EndpointSliceList" ? DiscoveryV1 : "v1")) return;
        switch (kind)
        {
            case "Service":
                if (CountItem()) ReadItem(node, ReadService, ConfigValidator.ValidateService, _services, _servicePaths);
                break;
            case "Endpoints":
                if (CountItem()) ReadItem(node, ReadEndpoints, ConfigValidator.ValidateEndpoints, _endpoints, _endpointsPaths);
                break;
            case "EndpointSlice":
                if (CountItem()) ReadItem(node, ReadEndpointSlice, ConfigValidator.ValidateEndpointSlice, _slices, _slicePaths);
                break;
            default:
                CheckListFields(node);
                ReadList(node.Get("items"), kind);
                break;
        }
    }

    /// <summary>Returns a kind this reader handles, or null after reporting why the object is refused.</summary>
    private string? ReadKind(ManifestNode node, string? listKind)
    {
        using var scope = Path.Field("kind");
        if (node.Kind is not (ManifestNodeKind.String or ManifestNodeKind.Null))
        {
            _errors.Add($"must be a string, got {node.Describe()}");
            return null;
        }
        // Items of a typed list (the API server's own output) may leave out their kind.
        var implied = listKind switch
        {
            "ServiceList" => "Service",
            "EndpointsList" => "Endpoints",
            "EndpointSliceList" => "EndpointSlice",
            _ => null,
        };
        var kind = node.Kind == ManifestNodeKind.String ? node.Text : implied;
        if (kind is null)
        {
            _errors.Add($"required, {ExpectedKinds}");
            return null;
        }
        if (implied is not null && kind != implied)
        {
            _errors.Add($"unsupported kind {ErrorText.Quote(kind)} in a {listKind}, expected {implied}");
            return null;
        }
        if (kind is not ("Service" or "Endpoints" or "EndpointSlice" or "List" or "ServiceList" or "EndpointsList" or "EndpointSliceList"))
        {
            _errors.Add($"unsupported kind {ErrorText.Quote(kind)}, {ExpectedKinds}");
            return null;
        }
        return kind;
    }

    private bool ReadApiVersion(ManifestNode? node, string expected)
    {
        if (node is null || node.Kind == ManifestNodeKind.Null) return true;
        if (node.Kind == ManifestNodeKind.String && node.Text == expected) return true;
        _errors.AddAt("apiVersion", node.Kind == ManifestNodeKind.String
            ? $"unsupported apiVersion {ErrorText.Quote(node.Text)}, expected {ErrorText.Quote(expected)}"
            : $"must be a string, got {node.Describe()}");
        return false;
    }

    private void ReadList(ManifestNode? items, string kind)
    {
        if (items is null || items.Kind == ManifestNodeKind.Null) return;
        using var scope = Path.Field("items");
        if (items.Kind != ManifestNodeKind.Sequence)
        {
            _errors.Add($"must be a list, got {items.Describe()}");
            return;
        }
        for (var i = 0; i < items.Items!.Count && !_tooManyItems; i++)
        {
            if (items.Items[i].Kind == ManifestNodeKind.Null) continue;
            using (Path.Index(i)) ReadObject(items.Items[i], kind);
        }
    }

    private bool CountItem()
    {
        if (++_items <= limits.MaxItems) return true;
        _errors.Add($"more than the limit of {limits.MaxItems} items");
        _tooManyItems = true;
        return false;
    }

    /// <summary>
    /// Reads then validates one item. A field the reader refused holds a placeholder, so rules that fail
    /// on it (or inside it) would only repeat the reader's error and are left out.
    /// </summary>
    private void ReadItem<T>(
        ManifestNode node, Func<ManifestNode, T> read, Action<T, FieldErrorList> validate, List<T> items, List<string> paths)
    {
        var readStart = _errors.Count;
        var item = read(node);
        var validationStart = _errors.Count;
        validate(item, _errors);
        if (validationStart > readStart)
        {
            var errors = _errors.Errors;
            var kept = validationStart;
            for (var i = validationStart; i < errors.Count; i++)
            {
                if (!IsShadowed(errors[i].Path, readStart, validationStart)) errors[kept++] = errors[i];
            }
            errors.RemoveRange(kept, errors.Count - kept);
        }
        items.Add(item);
        paths.Add(Path.ToString());
    }

    private bool IsShadowed(string path, int readStart, int readEnd)
    {
        for (var i = readStart; i < readEnd; i++)
        {
            var refused = _errors.Errors[i].Path;
            if (path.StartsWith(refused, StringComparison.Ordinal)
                && (path.Length == refused.Length || path[refused.Length] is '.' or '['))
            {
                return true;
            }
        }
        return false;
    }

    // Each reader gathers fields in locals and builds its record once: a `with` per field would copy it each time.

    private Service ReadService(ManifestNode node)
    {
        ObjectMeta? metadata = null;
        ServiceSpec? spec = null;
        ServiceStatus? status = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "metadata": metadata = ReadMetadata(value); break;
                case "spec": spec = ReadSpec(value); break;
                case "status": status = ReadStatus(value); break;
                default: Unknown(key, KubernetesFields.Service); break;
            }
        }
        return new Service { Metadata = metadata ?? new ObjectMeta(), Spec = spec ?? new ServiceSpec(), Status = status };
    }

    private Endpoints ReadEndpoints(ManifestNode node)
    {
        ObjectMeta? metadata = null;
        var subsets = ValueList<EndpointSubset>.Empty;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "metadata": metadata = ReadMetadata(value); break;
                case "subsets": subsets = ReadList(value, ReadSubset); break;
                default: Unknown(key, KubernetesFields.Endpoints); break;
            }
        }
        var endpoints = new Endpoints { Metadata = metadata ?? new ObjectMeta(), Subsets = subsets };
        return endpoints.Metadata.Annotations.TryGetValue(EndpointConditions.Annotation, out var conditions)
            ? ReadConditions(endpoints, conditions)
            : endpoints;
    }

    /// <summary>The conditions annotation (what <c>get -o json</c> writes) back into the addresses; the annotation itself goes.</summary>
    private Endpoints ReadConditions(Endpoints endpoints, string conditions)
    {
        endpoints = endpoints with
        {
            Metadata = endpoints.Metadata with { Annotations = endpoints.Metadata.Annotations.Without(EndpointConditions.Annotation) },
        };
        using (Path.Field("metadata"))
        using (Path.Field("annotations"))
        using (Path.Key(EndpointConditions.Annotation))
        {
            return EndpointConditions.Read(endpoints, conditions, _errors);
        }
    }

    private EndpointSlice ReadEndpointSlice(ManifestNode node)
    {
        ObjectMeta? metadata = null;
        string? addressType = null;
        var endpoints = ValueList<SliceEndpoint>.Empty;
        var ports = ValueList<EndpointPort>.Empty;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "metadata": metadata = ReadMetadata(value); break;
                case "addressType": addressType = ReadString(value); break;
                case "endpoints": endpoints = ReadList(value, ReadSliceEndpoint); break;
                // Each port is read as an Endpoints port is, with its own set of known fields.
                case "ports": ports = ReadList(value, ReadEndpointPort); break;
                default: Unknown(key, KubernetesFields.EndpointSlice); break;
            }
        }
        return new EndpointSlice { Metadata = metadata ?? new ObjectMeta(), AddressType = addressType ?? "", Endpoints = endpoints, Ports = ports };
    }

    private SliceEndpoint ReadSliceEndpoint(ManifestNode node)
    {
        if (!ExpectMap(node)) return new SliceEndpoint();
        var addresses = ValueList<string>.Empty;
        var conditions = new global::OrleansConfig.EndpointConditions();
        var forZones = ValueList<string>.Empty;
        string? hostname = null, nodeName = null, zone = null;
        ObjectReference? targetRef = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "addresses": addresses = ReadStringList(value); break;
                case "conditions": conditions = ReadConditions(value); break;
                case "hostname": hostname = ReadOptionalString(value); break;
                case "nodeName": nodeName = ReadOptionalString(value); break;
                case "zone": zone = ReadOptionalString(value); break;
                case "hints": forZones = ReadHints(value); break;
                case "targetRef": targetRef = ReadObjectReference(value); break;
                default: Unknown(key, KubernetesFields.SliceEndpoint); break;
            }
        }
        return new SliceEndpoint
        {
            Addresses = addresses, Conditions = conditions, Hostname = hostname, NodeName = nodeName, Zone = zone,
            ForZones = forZones, TargetRef = targetRef,
        };
    }

    private global::OrleansConfig.EndpointConditions ReadConditions(ManifestNode node)
    {
        if (!ExpectMap(node)) return new global::OrleansConfig.EndpointConditions();
        bool? ready = null, serving = null, terminating = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "ready": ready = ReadBool(value); break;
                case "serving": serving = ReadBool(value); break;
                case "terminating": terminating = ReadBool(value); break;
                default: Unknown(key, KubernetesFields.EndpointConditions); break;
            }
        }
        return new global::OrleansConfig.EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating };
    }

    /// <summary>The zones of <c>hints.forZones</c>; <c>hints.forNodes</c> is known but not kept.</summary>
    private ValueList<string> ReadHints(ManifestNode node)
    {
        if (!ExpectMap(node)) return ValueList<string>.Empty;
        CheckFields(node, KubernetesFields.EndpointHints);
        var forZones = node.Get("forZones");
        if (forZones is null || forZones.Kind == ManifestNodeKind.Null) return ValueList<string>.Empty;
        using var scope = Path.Field("forZones");
        return ReadList(forZones, zone =>
        {
            if (!ExpectMap(zone)) return "";
            CheckFields(zone, KubernetesFields.ForZone);
            var name = zone.Get("name") ?? ManifestNode.Null;
            using var nameScope = Path.Field("name");
            return name.Kind == ManifestNodeKind.Null ? "" : ReadString(name) ?? "";
        });
    }

    private ObjectMeta ReadMetadata(ManifestNode node)
    {
        if (!ExpectMap(node)) return new ObjectMeta();
        string? name = null, ns = null;
        ValueMap labels = ValueMap.Empty, annotations = ValueMap.Empty;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "name": name = ReadString(value); break;
                case "namespace": ns = ReadString(value); break;
                case "labels": labels = ReadStringMap(value); break;
                // The source is whoever sends the update, so a source named in the input is dropped.
                case "annotations": annotations = ReadStringMap(value, ConfigItemExtensions.SourceAnnotation); break;
                default: Unknown(key, KubernetesFields.ObjectMeta); break;
            }
        }
        return new ObjectMeta
        {
            Name = name ?? "",
            Namespace = NonEmpty(ns) ?? ObjectMeta.DefaultNamespace,
            Labels = labels,
            Annotations = annotations,
        };
    }

    private ServiceSpec ReadSpec(ManifestNode node)
    {
        if (!ExpectMap(node)) return new ServiceSpec();
        string? type = null, clusterIP = null, sessionAffinity = null, externalName = null;
        string? externalTrafficPolicy = null, internalTrafficPolicy = null, loadBalancerIP = null;
        var clusterIPs = ValueList<string>.Empty;
        var externalIPs = ValueList<string>.Empty;
        var ports = ValueList<ServicePort>.Empty;
        var selector = ValueMap.Empty;
        SessionAffinityConfig? sessionAffinityConfig = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "type": type = ReadOptionalString(value); break;
                case "clusterIP": clusterIP = ReadOptionalString(value); break;
                case "clusterIPs": clusterIPs = ReadStringList(value); break;
                case "ports": ports = ReadList(value, ReadServicePort); break;
                case "selector": selector = ReadStringMap(value); break;
                case "sessionAffinity": sessionAffinity = ReadOptionalString(value); break;
                case "sessionAffinityConfig": sessionAffinityConfig = ReadSessionAffinityConfig(value); break;
                case "externalIPs": externalIPs = ReadStringList(value); break;
                case "externalName": externalName = ReadOptionalString(value); break;
                case "externalTrafficPolicy": externalTrafficPolicy = ReadOptionalString(value); break;
                case "internalTrafficPolicy": internalTrafficPolicy = ReadOptionalString(value); break;
                case "loadBalancerIP": loadBalancerIP = ReadOptionalString(value); break;
                default: Unknown(key, KubernetesFields.ServiceSpec); break;
            }
        }
        return new ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIP,
            ClusterIPs = clusterIPs,
            Ports = ports,
            Selector = selector,
            SessionAffinity = sessionAffinity,
            SessionAffinityConfig = sessionAffinityConfig,
            ExternalIPs = externalIPs,
            ExternalName = externalName,
            ExternalTrafficPolicy = externalTrafficPolicy,
            InternalTrafficPolicy = internalTrafficPolicy,
            LoadBalancerIP = loadBalancerIP,
        };
    }

    private ServicePort ReadServicePort(ManifestNode node)
    {
        if (!ExpectMap(node)) return new ServicePort();
        string? name = null, protocol = null, appProtocol = null;
        int? port = null, nodePort = null;
        IntOrString? targetPort = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "name": name = ReadOptionalString(value); break;
                case "protocol": protocol = ReadOptionalString(value); break;
                case "port": port = ReadInt(value); break;
                case "targetPort": targetPort = ReadIntOrString(value); break;
                case "nodePort": nodePort = ReadInt(value); break;
                case "appProtocol": appProtocol = ReadOptionalString(value); break;
                default: Unknown(key, KubernetesFields.ServicePort); break;
            }
        }
        // Kubernetes defaults a missing or empty protocol to TCP.
        return new ServicePort { Name = name, Protocol = protocol ?? "TCP", Port = port ?? 0, TargetPort = targetPort,
            NodePort = nodePort, AppProtocol = appProtocol };
    }

    private SessionAffinityConfig? ReadSessionAffinityConfig(ManifestNode node)
    {
        if (!ExpectMap(node)) return null;
        CheckFields(node, KubernetesFields.SessionAffinityConfig);
        var clientIP = node.Get("clientIP");
        if (clientIP is null || clientIP.Kind == ManifestNodeKind.Null) return new SessionAffinityConfig();
        using var scope = Path.Field("clientIP");
        if (!ExpectMap(clientIP)) return new SessionAffinityConfig();
        CheckFields(clientIP, KubernetesFields.ClientIPConfig);
        var timeout = clientIP.Get("timeoutSeconds") ?? ManifestNode.Null;
        using var timeoutScope = Path.Field("timeoutSeconds");
        return new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = ReadInt(timeout) } };
    }

    private ServiceStatus? ReadStatus(ManifestNode node)
    {
        if (!ExpectMap(node)) return null;
        CheckFields(node, KubernetesFields.ServiceStatus);
        var loadBalancer = node.Get("loadBalancer");
        if (loadBalancer is null || loadBalancer.Kind == ManifestNodeKind.Null) return new ServiceStatus();
        using var scope = Path.Field("loadBalancer");
        if (!ExpectMap(loadBalancer)) return new ServiceStatus();
        CheckFields(loadBalancer, KubernetesFields.LoadBalancerStatus);
        var ingress = loadBalancer.Get("ingress");
        if (ingress is null || ingress.Kind == ManifestNodeKind.Null) return new ServiceStatus { LoadBalancer = new LoadBalancerStatus() };
        using var ingressScope = Path.Field("ingress");
        return new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = ReadList(ingress, ReadIngress) } };
    }

    private LoadBalancerIngress ReadIngress(ManifestNode node)
    {
        if (!ExpectMap(node)) return new LoadBalancerIngress();
        string? ip = null, hostname = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "ip": ip = ReadOptionalString(value); break;
                case "hostname": hostname = ReadOptionalString(value); break;
                default: Unknown(key, KubernetesFields.LoadBalancerIngress); break;
            }
        }
        return new LoadBalancerIngress { Ip = ip, Hostname = hostname };
    }

    private EndpointSubset ReadSubset(ManifestNode node)
    {
        if (!ExpectMap(node)) return new EndpointSubset();
        var addresses = ValueList<EndpointAddress>.Empty;
        var notReadyAddresses = ValueList<EndpointAddress>.Empty;
        var ports = ValueList<EndpointPort>.Empty;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "addresses": addresses = ReadList(value, ReadAddress); break;
                case "notReadyAddresses": notReadyAddresses = ReadList(value, ReadAddress); break;
                case "ports": ports = ReadList(value, ReadEndpointPort); break;
                default: Unknown(key, KubernetesFields.EndpointSubset); break;
            }
        }
        return new EndpointSubset { Addresses = addresses, NotReadyAddresses = notReadyAddresses, Ports = ports };
    }

    private EndpointAddress ReadAddress(ManifestNode node)
    {
        if (!ExpectMap(node)) return new EndpointAddress();
        string? ip = null, hostname = null, nodeName = null;
        ObjectReference? targetRef = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "ip": ip = ReadString(value); break;
                case "hostname": hostname = ReadOptionalString(value); break;
                case "nodeName": nodeName = ReadOptionalString(value); break;
                case "targetRef": targetRef = ReadObjectReference(value); break;
                default: Unknown(key, KubernetesFields.EndpointAddress); break;
            }
        }
        return new EndpointAddress { Ip = ip ?? "", Hostname = hostname, NodeName = nodeName, TargetRef = targetRef };
    }

    private ObjectReference? ReadObjectReference(ManifestNode node)
    {
        if (!ExpectMap(node)) return null;
        string? kind = null, ns = null, name = null, uid = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "kind": kind = ReadOptionalString(value); break;
                case "namespace": ns = ReadOptionalString(value); break;
                case "name": name = ReadOptionalString(value); break;
                case "uid": uid = ReadOptionalString(value); break;
                default: Unknown(key, KubernetesFields.ObjectReference); break;
            }
        }
        return new ObjectReference { Kind = kind, Namespace = ns, Name = name, Uid = uid };
    }

    private EndpointPort ReadEndpointPort(ManifestNode node)
    {
        if (!ExpectMap(node)) return new EndpointPort();
        string? name = null, protocol = null;
        int? port = null;
        foreach (var (key, value) in node.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            switch (key)
            {
                case "name": name = ReadOptionalString(value); break;
                case "port": port = ReadInt(value); break;
                case "protocol": protocol = ReadOptionalString(value); break;
                default: Unknown(key, KubernetesFields.EndpointPort); break;
            }
        }
        return new EndpointPort { Name = name, Port = port ?? 0, Protocol = protocol ?? "TCP" };
    }

    /// <summary>
    /// A list of objects. An element that is not one (null included) is an error and keeps a placeholder,
    /// so the model's indices stay those of the input and validation paths match it.
    /// </summary>
    private ValueList<T> ReadList<T>(ManifestNode node, Func<ManifestNode, T> readItem)
    {
        if (node.Kind != ManifestNodeKind.Sequence)
        {
            _errors.Add($"must be a list, got {node.Describe()}");
            return ValueList<T>.Empty;
        }
        var nodes = node.Items!;
        if (nodes.Count == 0) return ValueList<T>.Empty;
        var items = new T[nodes.Count];
        for (var i = 0; i < items.Length; i++)
        {
            using (Path.Index(i)) items[i] = readItem(nodes[i]);
        }
        return new ValueList<T>(items);
    }

    private ValueList<string> ReadStringList(ManifestNode node) => ReadList(node, item => ReadString(item) ?? "");

    private ValueMap ReadStringMap(ManifestNode node, string? dropKey = null)
    {
        if (!ExpectMap(node) || node.Entries!.Count == 0) return ValueMap.Empty;
        var pairs = new List<KeyValuePair<string, string>>(node.Entries.Count);
        foreach (var (key, value) in node.Entries)
        {
            if (value.Kind == ManifestNodeKind.Null || key == dropKey) continue;
            using var scope = Path.Key(key);
            if (ReadString(value) is { } text) pairs.Add(new(key, text));
        }
        return ValueMap.From(pairs);
    }

    /// <summary>Reports <paramref name="key"/> (the field at the current path) unless Kubernetes knows it.</summary>
    private void Unknown(string key, FrozenSet<string> known)
    {
        if (fieldValidation == FieldValidation.Ignore || known.Contains(key)) return;
        if (fieldValidation == FieldValidation.Strict)
        {
            _errors.Add(UnknownField);
            return;
        }
        _warnings.Add($"{UnknownField} {ErrorText.Quote(Path.ToString(), MaxWarningPathLength)}");
    }

    /// <summary>Checks the fields of a map the reader picks values from rather than walks.</summary>
    private void CheckFields(ManifestNode map, FrozenSet<string> known)
    {
        if (fieldValidation == FieldValidation.Ignore) return;
        foreach (var (key, value) in map.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null || known.Contains(key)) continue;
            using var scope = Path.Field(key);
            Unknown(key, known);
        }
    }

    /// <summary>Checks a list's own fields and its <c>metadata</c>'s; its items are checked as they are read.</summary>
    private void CheckListFields(ManifestNode list)
    {
        if (fieldValidation == FieldValidation.Ignore) return;
        foreach (var (key, value) in list.Entries!)
        {
            if (value.Kind == ManifestNodeKind.Null) continue;
            using var scope = Path.Field(key);
            if (key == "metadata" && value.Kind == ManifestNodeKind.Map) CheckFields(value, KubernetesFields.ListMeta);
            else Unknown(key, KubernetesFields.List);
        }
    }

    private bool ExpectMap(ManifestNode node)
    {
        if (node.Kind == ManifestNodeKind.Map) return true;
        _errors.Add($"must be an object, got {node.Describe()}");
        return false;
    }

    /// <summary>Callers skip null fields and map values; a null that gets here is a list element, an error.</summary>
    private string? ReadString(ManifestNode node)
    {
        if (node.Kind == ManifestNodeKind.String) return node.Text;
        _errors.Add($"must be a string, got {node.Describe()}");
        return null;
    }

    /// <summary>An optional string: Kubernetes (Go) does not tell "" from absent, and neither does the model.</summary>
    private string? ReadOptionalString(ManifestNode node) => NonEmpty(ReadString(node));

    private bool? ReadBool(ManifestNode node)
    {
        if (node.Kind == ManifestNodeKind.Boolean) return node.Text == "true";
        _errors.Add($"must be a boolean, got {node.Describe()}");
        return null;
    }

    private int? ReadInt(ManifestNode node)
    {
        switch (node.Kind)
        {
            case ManifestNodeKind.Null:
                return null;
            case ManifestNodeKind.Integer when node.Integer is >= int.MinValue and <= int.MaxValue:
                return (int)node.Integer.Value;
            case ManifestNodeKind.Integer:
                _errors.Add($"must be a 32-bit integer, got {node.Text}");
                return null;
            default:
                _errors.Add($"must be an integer, got {node.Describe()}");
                return null;
        }
    }

    private IntOrString? ReadIntOrString(ManifestNode node)
    {
        if (node.Kind == ManifestNodeKind.String) return node.Text;
        if (node.Kind == ManifestNodeKind.Integer) return ReadInt(node) is { } number ? number : null;
        _errors.Add($"must be an integer or a string, got {node.Describe()}");
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>One parsed document (null when empty) and the errors found building it, paths from its root.</summary>
internal sealed record ManifestDocument(ManifestNode? Root, IReadOnlyList<FieldError> Errors);
