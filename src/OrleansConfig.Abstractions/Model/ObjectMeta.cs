namespace OrleansConfig;

/// <summary>The parts of Kubernetes <c>metadata</c> a proxy needs.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ObjectMeta")]
public sealed record ObjectMeta
{
    public const string DefaultNamespace = "default";

    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Namespace { get; init; } = DefaultNamespace;
    [Id(2)] public ValueMap Labels { get; init; } = ValueMap.Empty;
    [Id(3)] public ValueMap Annotations { get; init; } = ValueMap.Empty;

    public ObjectKey Key => new(Namespace, Name);
}
