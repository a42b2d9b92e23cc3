namespace OrleansConfig;

internal sealed class LoadBalancerStatusDto
{
    public IReadOnlyList<LoadBalancerIngress>? Ingress { get; init; }
}
