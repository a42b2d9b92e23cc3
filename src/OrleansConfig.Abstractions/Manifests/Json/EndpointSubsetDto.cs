namespace OrleansConfig.Manifests.Json;

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
