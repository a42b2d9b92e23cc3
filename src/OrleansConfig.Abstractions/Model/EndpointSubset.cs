namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointSubset")]
public sealed record EndpointSubset
{
    [Id(0)] public ValueList<EndpointAddress> Addresses { get; init; } = ValueList<EndpointAddress>.Empty;
    [Id(1)] public ValueList<EndpointAddress> NotReadyAddresses { get; init; } = ValueList<EndpointAddress>.Empty;
    [Id(2)] public ValueList<EndpointPort> Ports { get; init; } = ValueList<EndpointPort>.Empty;
}
