namespace OrleansConfig;

/// <summary>A Kubernetes v1 Endpoints object: the backends of the Service of the same name.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.Endpoints")]
public sealed record Endpoints : IConfigItem
{
    [Id(0)] public ObjectMeta Metadata { get; init; } = new();
    [Id(1)] public ValueList<EndpointSubset> Subsets { get; init; } = ValueList<EndpointSubset>.Empty;

    ObjectMeta IConfigItem.Metadata => Metadata;

    IConfigItem IConfigItem.WithMetadata(ObjectMeta metadata) => this with { Metadata = metadata };
}
