namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServiceStatus")]
public sealed record ServiceStatus
{
    [Id(0)] public LoadBalancerStatus? LoadBalancer { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.LoadBalancerStatus")]
public sealed record LoadBalancerStatus
{
    [Id(0)] public ValueList<LoadBalancerIngress> Ingress { get; init; } = ValueList<LoadBalancerIngress>.Empty;
}

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.LoadBalancerIngress")]
public sealed record LoadBalancerIngress
{
    [Id(0)] public string? Ip { get; init; }
    [Id(1)] public string? Hostname { get; init; }
}
