namespace OrleansConfig;

/// <summary>A change to one source's Services.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.ServiceUpdate")]
public sealed record ServiceUpdate([property: Id(0)] Operation Op, [property: Id(1)] IReadOnlyList<Service> Services)
{
    /// <summary>
    /// The origin's revision (e.g. etcd's mod revision), or 0 when the origin has none. A source ignores
    /// an update whose revision is not newer than the last it applied for this kind.
    /// </summary>
    [Id(2)] public long Revision { get; init; }
}
