namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServiceSpec")]
public sealed record ServiceSpec
{
    [Id(0)] public string? Type { get; init; }
    [Id(1)] public string? ClusterIP { get; init; }
    [Id(2)] public ValueList<string> ClusterIPs { get; init; } = ValueList<string>.Empty;
    [Id(3)] public ValueList<ServicePort> Ports { get; init; } = ValueList<ServicePort>.Empty;
    [Id(4)] public ValueMap Selector { get; init; } = ValueMap.Empty;
    [Id(5)] public string? SessionAffinity { get; init; }
    [Id(6)] public SessionAffinityConfig? SessionAffinityConfig { get; init; }
    [Id(7)] public ValueList<string> ExternalIPs { get; init; } = ValueList<string>.Empty;
    [Id(8)] public string? ExternalName { get; init; }
    [Id(9)] public string? ExternalTrafficPolicy { get; init; }
    [Id(10)] public string? InternalTrafficPolicy { get; init; }
    [Id(11)] public string? LoadBalancerIP { get; init; }
}
