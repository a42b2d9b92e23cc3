namespace OrleansConfig;

/// <summary>One change to the union, as published on the union stream.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.UnionDelta")]
public sealed record UnionDelta([property: Id(0)] UnionVersion Version, [property: Id(1)] SourceDelta Change)
{
    /// <summary>
    /// The change was too large to travel on the stream (whose queue cache holds messages of at most 1 MiB):
    /// <see cref="Change"/> carries no items, and <see cref="IAggregatorGrain.GetChange"/> returns them.
    /// </summary>
    [Id(2)] public bool Elided { get; init; }
}
