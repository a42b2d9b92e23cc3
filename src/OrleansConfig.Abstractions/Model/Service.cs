namespace OrleansConfig;

/// <summary>A Kubernetes v1 Service, reduced to the fields a proxy needs.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.Service")]
public sealed record Service : IConfigItem
{
    [Id(0)] public ObjectMeta Metadata { get; init; } = new();
    [Id(1)] public ServiceSpec Spec { get; init; } = new();
    [Id(2)] public ServiceStatus? Status { get; init; }

    ObjectMeta IConfigItem.Metadata => Metadata;

    IConfigItem IConfigItem.WithMetadata(ObjectMeta metadata) => this with { Metadata = metadata };
}
