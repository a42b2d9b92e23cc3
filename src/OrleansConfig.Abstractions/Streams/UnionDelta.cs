namespace OrleansConfig;

/// <summary>One change to the union, as published on the union stream.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionDelta")]
public sealed record UnionDelta([property: Id(0)] UnionVersion Version, [property: Id(1)] SourceDelta Change);
