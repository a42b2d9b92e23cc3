namespace OrleansConfig.Manifests.Json;

/// <summary><c>metadata</c> as written: empty maps are left out, as kubectl leaves them out.</summary>
internal sealed class ObjectMetaDto
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public static ObjectMetaDto From(ObjectMeta metadata) => new()
    {
        Name = metadata.Name,
        Namespace = metadata.Namespace,
        Labels = DtoValues.OrNull(metadata.Labels),
        Annotations = DtoValues.OrNull(metadata.Annotations),
    };
}
