namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointAddress")]
public sealed record EndpointAddress
{
    [Id(0)] public string Ip { get; init; } = "";
    [Id(1)] public string? Hostname { get; init; }
    [Id(2)] public string? NodeName { get; init; }
}
