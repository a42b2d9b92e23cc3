using System.Text.Json.Serialization;

namespace OrleansConfig;

/// <summary>
/// One address of an Endpoints subset (Kubernetes <c>EndpointAddress</c>), with the conditions and topology an
/// EndpointSlice adds. An address in <see cref="EndpointSubset.Addresses"/> is ready; one in
/// <see cref="EndpointSubset.NotReadyAddresses"/> is not, and may still be serving while it terminates.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointAddress")]
public sealed record EndpointAddress
{
    /// <summary>The address's IP (IPv4 or IPv6).</summary>
    [Id(0)] public string Ip { get; init; } = "";
    /// <summary>The address's host name, if it has one.</summary>
    [Id(1)] public string? Hostname { get; init; }
    /// <summary>The node the address runs on, if known.</summary>
    [Id(2)] public string? NodeName { get; init; }
    /// <summary>
    /// Whether the address answers requests regardless of whether it is terminating (KEP-1672); null means
    /// "as ready", which is how a v1 Endpoints address maps (ready: serving; not ready: not serving).
    /// </summary>
    [Id(3), JsonIgnore] public bool? Serving { get; init; }
    /// <summary>Whether the address is terminating; null means not.</summary>
    [Id(4), JsonIgnore] public bool? Terminating { get; init; }
    /// <summary>The zone the address is in, if known.</summary>
    [Id(5), JsonIgnore] public string? Zone { get; init; }
    /// <summary>Topology hints: the zones this address should serve (<c>hints.forZones</c>).</summary>
    [Id(6), JsonIgnore] public ValueList<string> ForZones { get; init; } = ValueList<string>.Empty;
    /// <summary>The object behind the address (usually a Pod), if known.</summary>
    [Id(7), JsonIgnore] public ObjectReference? TargetRef { get; init; }

    /// <summary>True when the address is serving, given whether it is listed as ready.</summary>
    public bool IsServing(bool ready) => Serving ?? ready;

    /// <summary>True when the address is terminating.</summary>
    [JsonIgnore] public bool IsTerminating => Terminating ?? false;
}

/// <summary>A reference to the object behind an address (Kubernetes <c>ObjectReference</c>, the fields proxies show).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ObjectReference")]
public sealed record ObjectReference
{
    /// <summary>The object's kind, usually <c>Pod</c>.</summary>
    [Id(0)] public string? Kind { get; init; }
    /// <summary>The object's namespace.</summary>
    [Id(1)] public string? Namespace { get; init; }
    /// <summary>The object's name.</summary>
    [Id(2)] public string? Name { get; init; }
    /// <summary>The object's uid.</summary>
    [Id(3)] public string? Uid { get; init; }
}
