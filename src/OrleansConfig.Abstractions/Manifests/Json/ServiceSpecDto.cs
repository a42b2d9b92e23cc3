namespace OrleansConfig.Manifests.Json;

/// <summary><c>spec</c> of a Service as written, fields in kubectl's order, empty lists and maps left out.</summary>
internal sealed class ServiceSpecDto
{
    public string? Type { get; init; }
    public string? ClusterIP { get; init; }
    public IReadOnlyList<string>? ClusterIPs { get; init; }
    public IReadOnlyList<ServicePort>? Ports { get; init; }
    public IReadOnlyDictionary<string, string>? Selector { get; init; }
    public string? SessionAffinity { get; init; }
    public SessionAffinityConfig? SessionAffinityConfig { get; init; }
    public IReadOnlyList<string>? ExternalIPs { get; init; }
    public string? ExternalName { get; init; }
    public string? ExternalTrafficPolicy { get; init; }
    public string? InternalTrafficPolicy { get; init; }
    public string? LoadBalancerIP { get; init; }

    public static ServiceSpecDto From(ServiceSpec spec) => new()
    {
        Type = spec.Type,
        ClusterIP = spec.ClusterIP,
        ClusterIPs = DtoValues.OrNull(spec.ClusterIPs),
        Ports = DtoValues.OrNull(spec.Ports),
        Selector = DtoValues.OrNull(spec.Selector),
        SessionAffinity = spec.SessionAffinity,
        SessionAffinityConfig = spec.SessionAffinityConfig,
        ExternalIPs = DtoValues.OrNull(spec.ExternalIPs),
        ExternalName = spec.ExternalName,
        ExternalTrafficPolicy = spec.ExternalTrafficPolicy,
        InternalTrafficPolicy = spec.InternalTrafficPolicy,
        LoadBalancerIP = spec.LoadBalancerIP,
    };
}
