namespace OrleansConfig;

/// <summary>A set of addresses that all serve the same ports (Kubernetes <c>EndpointSubset</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointSubset")]
public sealed record EndpointSubset
{
    /// <summary>The addresses ready to take traffic.</summary>
    [Id(0)] public ValueList<EndpointAddress> Addresses { get; init; } = ValueList<EndpointAddress>.Empty;
    /// <summary>The addresses that exist but are not ready; proxies send them nothing.</summary>
    [Id(1)] public ValueList<EndpointAddress> NotReadyAddresses { get; init; } = ValueList<EndpointAddress>.Empty;
    /// <summary>The ports every address of this subset serves.</summary>
    [Id(2)] public ValueList<EndpointPort> Ports { get; init; } = ValueList<EndpointPort>.Empty;
}
