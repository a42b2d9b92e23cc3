namespace OrleansConfig;

/// <summary>
/// A change to one source's EndpointSlices (keyed <c>namespace/name</c> of the slice). The source grain merges each
/// affected Service's slices into that Service's Endpoints, which is what the union sees.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.EndpointSliceUpdate")]
public sealed record EndpointSliceUpdate([property: Id(0)] Operation Op, [property: Id(1)] IReadOnlyList<EndpointSlice> Slices)
{
    /// <inheritdoc cref="ServiceUpdate.Revision"/>
    [Id(2)] public long Revision { get; init; }
}
