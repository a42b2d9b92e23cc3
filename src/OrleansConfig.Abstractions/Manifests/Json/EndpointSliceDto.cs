using System.Text.Json.Serialization;

namespace OrleansConfig.Manifests.Json;

/// <summary>An EndpointSlice as Kubernetes writes it, with its <c>discovery.k8s.io/v1</c> version and kind.</summary>
internal sealed class EndpointSliceDto
{
    // Instance properties because System.Text.Json writes only those (CA1822 would make them static).
#pragma warning disable CA1822
    [JsonPropertyOrder(-2)]
    public string ApiVersion => "discovery.k8s.io/v1";

    [JsonPropertyOrder(-1)]
    public string Kind => "EndpointSlice";
#pragma warning restore CA1822

    public required ObjectMetaDto Metadata { get; init; }
    public required string AddressType { get; init; }

    // Kubernetes writes both lists even when empty (no omitempty), so they are never null here.
    public required IReadOnlyList<SliceEndpointDto> Endpoints { get; init; }
    public required IReadOnlyList<EndpointPort> Ports { get; init; }

    public static EndpointSliceDto From(EndpointSlice slice) => new()
    {
        Metadata = ObjectMetaDto.From(slice.Metadata),
        AddressType = slice.AddressType,
        Endpoints = DtoValues.Map(slice.Endpoints, SliceEndpointDto.From) ?? [],
        Ports = slice.Ports,
    };
}

internal sealed class SliceEndpointDto
{
    public required IReadOnlyList<string> Addresses { get; init; }
    public required global::OrleansConfig.EndpointConditions Conditions { get; init; }
    public string? Hostname { get; init; }
    public ObjectReference? TargetRef { get; init; }
    public string? NodeName { get; init; }
    public string? Zone { get; init; }
    public HintsDto? Hints { get; init; }

    public static SliceEndpointDto From(SliceEndpoint endpoint) => new()
    {
        Addresses = endpoint.Addresses,
        Conditions = endpoint.Conditions,
        Hostname = endpoint.Hostname,
        TargetRef = endpoint.TargetRef,
        NodeName = endpoint.NodeName,
        Zone = endpoint.Zone,
        Hints = DtoValues.Map(endpoint.ForZones, zone => new ForZoneDto { Name = zone }) is { } zones
            ? new HintsDto { ForZones = zones }
            : null,
    };
}

internal sealed class HintsDto
{
    public required IReadOnlyList<ForZoneDto> ForZones { get; init; }
}

internal sealed class ForZoneDto
{
    public required string Name { get; init; }
}
