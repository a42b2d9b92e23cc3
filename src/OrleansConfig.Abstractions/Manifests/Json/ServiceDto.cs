using System.Text.Json.Serialization;

namespace OrleansConfig.Manifests.Json;

/// <summary>A Service as Kubernetes writes it, with its <c>apiVersion</c> and <c>kind</c>.</summary>
internal sealed class ServiceDto
{
    // Instance properties because System.Text.Json writes only those (CA1822 would make them static).
#pragma warning disable CA1822
    [JsonPropertyOrder(-2)]
    public string ApiVersion => "v1";

    [JsonPropertyOrder(-1)]
    public string Kind => "Service";
#pragma warning restore CA1822

    public required ObjectMetaDto Metadata { get; init; }
    public required ServiceSpecDto Spec { get; init; }
    public ServiceStatusDto? Status { get; init; }

    public static ServiceDto From(Service service) => new()
    {
        Metadata = ObjectMetaDto.From(service.Metadata),
        Spec = ServiceSpecDto.From(service.Spec),
        Status = service.Status is { } status ? ServiceStatusDto.From(status) : null,
    };
}

/// <summary><c>status</c> of a Service; kubectl writes <c>loadBalancer: {}</c> when it has no ingress, and so do we.</summary>
internal sealed class ServiceStatusDto
{
    public LoadBalancerStatusDto? LoadBalancer { get; init; }

    public static ServiceStatusDto From(ServiceStatus status) => new()
    {
        LoadBalancer = status.LoadBalancer is { } loadBalancer ? new LoadBalancerStatusDto { Ingress = DtoValues.OrNull(loadBalancer.Ingress) } : null,
    };
}

internal sealed class LoadBalancerStatusDto
{
    public IReadOnlyList<LoadBalancerIngress>? Ingress { get; init; }
}
