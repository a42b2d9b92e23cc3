namespace OrleansConfig;

/// <summary>
/// A Kubernetes <c>discovery.k8s.io/v1</c> EndpointSlice: a part of one Service's endpoints. A source's slices
/// of a Service merge into that Service's <see cref="Endpoints"/> (see <see cref="EndpointSliceMerge"/>); the
/// union itself holds only Endpoints, so every handler reads one shape.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointSlice")]
public sealed record EndpointSlice : IConfigItem
{
    /// <summary>The label that names the Service a slice belongs to.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>Name, namespace, labels (with <see cref="ServiceNameLabel"/>) and annotations.</summary>
    [Id(0)] public ObjectMeta Metadata { get; init; } = new();
    /// <summary><c>IPv4</c>, <c>IPv6</c> or <c>FQDN</c>.</summary>
    [Id(1)] public string AddressType { get; init; } = AddressTypes.IPv4;
    /// <summary>The endpoints of this slice.</summary>
    [Id(2)] public ValueList<SliceEndpoint> Endpoints { get; init; } = ValueList<SliceEndpoint>.Empty;
    /// <summary>The ports every endpoint of this slice serves.</summary>
    [Id(3)] public ValueList<EndpointPort> Ports { get; init; } = ValueList<EndpointPort>.Empty;

    /// <summary>The name of the Service the slice belongs to, from its <see cref="ServiceNameLabel"/> label.</summary>
    public string? ServiceName => Metadata.Labels.TryGetValue(ServiceNameLabel, out var name) ? name : null;

    ObjectMeta IConfigItem.Metadata => Metadata;

    IConfigItem IConfigItem.WithMetadata(ObjectMeta metadata) => this with { Metadata = metadata };

    /// <summary>The address types an EndpointSlice may have.</summary>
    public static class AddressTypes
    {
        /// <summary>IPv4 addresses.</summary>
        public const string IPv4 = "IPv4";
        /// <summary>IPv6 addresses.</summary>
        public const string IPv6 = "IPv6";
        /// <summary>Fully qualified domain names; kept, but proxies (like kube-proxy) route to none of them.</summary>
        public const string Fqdn = "FQDN";
    }
}

/// <summary>One endpoint of an EndpointSlice (Kubernetes <c>discovery.k8s.io/v1 Endpoint</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.SliceEndpoint")]
public sealed record SliceEndpoint
{
    /// <summary>The endpoint's addresses; consumers use the first, as Kubernetes says.</summary>
    [Id(0)] public ValueList<string> Addresses { get; init; } = ValueList<string>.Empty;
    /// <summary>Ready, serving and terminating.</summary>
    [Id(1)] public EndpointConditions Conditions { get; init; } = new();
    /// <summary>The endpoint's host name, if it has one.</summary>
    [Id(2)] public string? Hostname { get; init; }
    /// <summary>The object behind the endpoint, if known.</summary>
    [Id(3)] public ObjectReference? TargetRef { get; init; }
    /// <summary>The node the endpoint runs on, if known.</summary>
    [Id(4)] public string? NodeName { get; init; }
    /// <summary>The zone the endpoint is in, if known.</summary>
    [Id(5)] public string? Zone { get; init; }
    /// <summary>Topology hints: the zones this endpoint should serve.</summary>
    [Id(6)] public ValueList<string> ForZones { get; init; } = ValueList<string>.Empty;
}

/// <summary>
/// An endpoint's conditions (KEP-1672). Null means unknown: ready and serving then count as ready, as Kubernetes
/// tells consumers to; terminating counts as false.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointConditions")]
public sealed record EndpointConditions
{
    /// <summary>Ready to take new traffic.</summary>
    [Id(0)] public bool? Ready { get; init; }
    /// <summary>Answering requests, whether or not terminating.</summary>
    [Id(1)] public bool? Serving { get; init; }
    /// <summary>Terminating.</summary>
    [Id(2)] public bool? Terminating { get; init; }
}
