namespace OrleansConfig;

/// <summary>A Kubernetes v1 Endpoints object: the backends of the Service of the same name.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.Endpoints")]
public sealed record Endpoints : IConfigItem
{
    /// <summary>Name, namespace, labels and annotations; the name is the Service's it belongs to.</summary>
    [Id(0)] public ObjectMeta Metadata { get; init; } = new();
    /// <summary>The groups of addresses and the ports they serve.</summary>
    [Id(1)] public ValueList<EndpointSubset> Subsets { get; init; } = ValueList<EndpointSubset>.Empty;

    ObjectMeta IConfigItem.Metadata => Metadata;

    IConfigItem IConfigItem.WithMetadata(ObjectMeta metadata) => this with { Metadata = metadata };
}
