namespace OrleansConfig;

/// <summary>A Kubernetes v1 Service, reduced to the fields a proxy needs.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.Service")]
public sealed record Service : IConfigItem
{
    /// <summary>Name, namespace, labels and annotations.</summary>
    [Id(0)] public ObjectMeta Metadata { get; init; } = new();
    /// <summary>The ports, addresses and traffic settings.</summary>
    [Id(1)] public ServiceSpec Spec { get; init; } = new();
    /// <summary>The load balancer's status, for <c>LoadBalancer</c> Services.</summary>
    [Id(2)] public ServiceStatus? Status { get; init; }

    ObjectMeta IConfigItem.Metadata => Metadata;

    IConfigItem IConfigItem.WithMetadata(ObjectMeta metadata) => this with { Metadata = metadata };
}
