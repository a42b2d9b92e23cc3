namespace OrleansConfig;

/// <summary>What the cluster reports about a Service (Kubernetes <c>ServiceStatus</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServiceStatus")]
public sealed record ServiceStatus
{
    /// <summary>The load balancer's addresses, for LoadBalancer Services.</summary>
    [Id(0)] public LoadBalancerStatus? LoadBalancer { get; init; }
}

/// <summary>The addresses a load balancer gave a Service.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.LoadBalancerStatus")]
public sealed record LoadBalancerStatus
{
    /// <summary>The load balancer's addresses.</summary>
    [Id(0)] public ValueList<LoadBalancerIngress> Ingress { get; init; } = ValueList<LoadBalancerIngress>.Empty;
}

/// <summary>One address of a load balancer.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.LoadBalancerIngress")]
public sealed record LoadBalancerIngress
{
    /// <summary>The address as an IP.</summary>
    [Id(0)] public string? Ip { get; init; }
    /// <summary>The address as a host name.</summary>
    [Id(1)] public string? Hostname { get; init; }
}
