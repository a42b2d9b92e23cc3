namespace OrleansConfig;

/// <summary>The parts of Kubernetes <c>metadata</c> a proxy needs.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ObjectMeta")]
public sealed record ObjectMeta
{
    /// <summary>The namespace of an item that names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The item's name, unique per kind within its namespace.</summary>
    [Id(0)] public string Name { get; init; } = "";
    /// <summary>The item's namespace (<c>default</c> unless set).</summary>
    [Id(1)] public string Namespace { get; init; } = DefaultNamespace;
    /// <summary>The item's labels.</summary>
    [Id(2)] public ValueMap Labels { get; init; } = ValueMap.Empty;
    /// <summary>The item's annotations; output adds <c>orleans-config/source</c>.</summary>
    [Id(3)] public ValueMap Annotations { get; init; } = ValueMap.Empty;

    /// <summary>The item's <c>namespace/name</c>, its identity within a kind and source.</summary>
    public ObjectKey Key => new(Namespace, Name);
}
