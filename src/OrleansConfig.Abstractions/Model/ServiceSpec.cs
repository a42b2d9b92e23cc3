namespace OrleansConfig;

/// <summary>What a Service exposes and how (Kubernetes <c>ServiceSpec</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServiceSpec")]
public sealed record ServiceSpec
{
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    [Id(0)] public string? Type { get; init; }
    /// <summary>The Service's virtual IP, <c>None</c> for a headless Service, or empty.</summary>
    [Id(1)] public string? ClusterIP { get; init; }
    /// <summary>The Service's virtual IPs, one per IP family.</summary>
    [Id(2)] public ValueList<string> ClusterIPs { get; init; } = ValueList<string>.Empty;
    /// <summary>The ports the Service exposes.</summary>
    [Id(3)] public ValueList<ServicePort> Ports { get; init; } = ValueList<ServicePort>.Empty;
    /// <summary>The labels of the pods that back the Service.</summary>
    [Id(4)] public ValueMap Selector { get; init; } = ValueMap.Empty;
    /// <summary>None, or ClientIP to keep a client on one backend.</summary>
    [Id(5)] public string? SessionAffinity { get; init; }
    /// <summary>The timeout of ClientIP affinity.</summary>
    [Id(6)] public SessionAffinityConfig? SessionAffinityConfig { get; init; }
    /// <summary>Further IPs the Service also answers on.</summary>
    [Id(7)] public ValueList<string> ExternalIPs { get; init; } = ValueList<string>.Empty;
    /// <summary>The DNS name an ExternalName Service points to.</summary>
    [Id(8)] public string? ExternalName { get; init; }
    /// <summary>Cluster or Local: whether external traffic may leave the node it arrived on.</summary>
    [Id(9)] public string? ExternalTrafficPolicy { get; init; }
    /// <summary>Cluster or Local: whether internal traffic may leave the node it started on.</summary>
    [Id(10)] public string? InternalTrafficPolicy { get; init; }
    /// <summary>The IP asked of the load balancer, for LoadBalancer Services.</summary>
    [Id(11)] public string? LoadBalancerIP { get; init; }
}
