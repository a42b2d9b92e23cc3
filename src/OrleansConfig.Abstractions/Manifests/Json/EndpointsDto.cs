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

    public static EndpointsDto From(Endpoints endpoints) => new()
    {
        Metadata = ObjectMetaDto.From(endpoints.Metadata),
        Subsets = DtoValues.Map(endpoints.Subsets, EndpointSubsetDto.From),
    };
}

internal sealed class EndpointSubsetDto
{
    public IReadOnlyList<EndpointAddress>? Addresses { get; init; }
    public IReadOnlyList<EndpointAddress>? NotReadyAddresses { get; init; }
    public IReadOnlyList<EndpointPort>? Ports { get; init; }

    public static EndpointSubsetDto From(EndpointSubset subset) => new()
    {
        Addresses = DtoValues.OrNull(subset.Addresses),
        NotReadyAddresses = DtoValues.OrNull(subset.NotReadyAddresses),
        Ports = DtoValues.OrNull(subset.Ports),
    };
}
