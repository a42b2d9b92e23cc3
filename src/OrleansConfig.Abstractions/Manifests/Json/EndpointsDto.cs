using System.Text.Json.Serialization;

namespace OrleansConfig.Manifests.Json;

/// <summary>An Endpoints as Kubernetes writes it, with its <c>apiVersion</c> and <c>kind</c>.</summary>
internal sealed class EndpointsDto
{
    // Instance properties because System.Text.Json writes only those (CA1822 would make them static).
#pragma warning disable CA1822
    [JsonPropertyOrder(-2)]
    public string ApiVersion => "v1";

    [JsonPropertyOrder(-1)]
    public string Kind => "Endpoints";
#pragma warning restore CA1822

    public required ObjectMetaDto Metadata { get; init; }
    public IReadOnlyList<EndpointSubsetDto>? Subsets { get; init; }

    /// <summary>
    /// The v1 shape; what v1 cannot say about the addresses goes into the <see cref="EndpointConditions.Annotation"/>
    /// annotation, which the manifest reader turns back into the addresses' fields.
    /// </summary>
    public static EndpointsDto From(Endpoints endpoints)
    {
        var metadata = endpoints.Metadata;
        var conditions = EndpointConditions.Write(endpoints);
        metadata = conditions is null
            ? metadata.Annotations.ContainsKey(EndpointConditions.Annotation)
                ? metadata with { Annotations = metadata.Annotations.Without(EndpointConditions.Annotation) }
                : metadata
            : metadata with { Annotations = metadata.Annotations.With(EndpointConditions.Annotation, conditions) };
        return new EndpointsDto
        {
            Metadata = ObjectMetaDto.From(metadata),
            Subsets = DtoValues.Map(endpoints.Subsets, EndpointSubsetDto.From),
        };
    }
}

internal sealed class EndpointSubsetDto
{
    public IReadOnlyList<EndpointAddressDto>? Addresses { get; init; }
    public IReadOnlyList<EndpointAddressDto>? NotReadyAddresses { get; init; }
    public IReadOnlyList<EndpointPort>? Ports { get; init; }

    public static EndpointSubsetDto From(EndpointSubset subset) => new()
    {
        Addresses = DtoValues.Map(subset.Addresses, EndpointAddressDto.From),
        NotReadyAddresses = DtoValues.Map(subset.NotReadyAddresses, EndpointAddressDto.From),
        Ports = DtoValues.OrNull(subset.Ports),
    };
}

/// <summary>An address's v1 fields; its conditions and topology go into the Endpoints' conditions annotation.</summary>
internal sealed class EndpointAddressDto
{
    public required string Ip { get; init; }
    public string? Hostname { get; init; }
    public string? NodeName { get; init; }
    public ObjectReference? TargetRef { get; init; }

    public static EndpointAddressDto From(EndpointAddress address) => new()
    {
        Ip = address.Ip,
        Hostname = address.Hostname,
        NodeName = address.NodeName,
        TargetRef = address.TargetRef,
    };
}
