namespace OrleansConfig.Manifests.Json;

/// <summary><c>status</c> of a Service; kubectl writes <c>loadBalancer: {}</c> when it has no ingress, and so do we.</summary>
internal sealed class ServiceStatusDto
{
    public LoadBalancerStatusDto? LoadBalancer { get; init; }

    public static ServiceStatusDto From(ServiceStatus status) => new()
    {
        LoadBalancer =
            status.LoadBalancer is { } loadBalancer ? new LoadBalancerStatusDto { Ingress = DtoValues.OrNull(loadBalancer.Ingress) } : null,
    };
}
