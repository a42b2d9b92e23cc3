namespace OrleansConfig.Manifests.Json;

internal sealed class LoadBalancerStatusDto
{
    public IReadOnlyList<LoadBalancerIngress>? Ingress { get; init; }
}
