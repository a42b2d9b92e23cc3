namespace OrleansConfig;

/// <summary>A change to one source's Endpoints.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.EndpointsUpdate")]
public sealed record EndpointsUpdate([property: Id(0)] Operation Op, [property: Id(1)] IReadOnlyList<Endpoints> Endpoints)
{
    /// <inheritdoc cref="ServiceUpdate.Revision"/>
    [Id(2)] public long Revision { get; init; }
}
