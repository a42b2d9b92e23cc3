namespace OrleansConfig;

/// <summary>A change to one source's Services.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.ServiceUpdate")]
public sealed record ServiceUpdate([property: Id(0)] Operation Op, [property: Id(1)] IReadOnlyList<Service> Services)
{
    /// <summary>
    /// The origin's revision (e.g. etcd's mod revision), or 0 when the origin has none. A source ignores
    /// an update whose revision is older than the last it applied for this kind, so a lagging watcher
    /// can never bring back an item that a newer revision deleted.
    /// </summary>
    [Id(2)] public long Revision { get; init; }
}
