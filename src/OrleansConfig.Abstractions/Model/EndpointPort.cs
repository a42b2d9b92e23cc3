namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointPort")]
public sealed record EndpointPort
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public int Port { get; init; }
    [Id(2)] public string Protocol { get; init; } = "TCP";
}
