namespace OrleansConfig;

/// <summary>
/// A point in the union's history. <see cref="Epoch"/> is fresh each time the aggregator activates;
/// versions only compare within one epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionVersion")]
public readonly record struct UnionVersion([property: Id(0)] Guid Epoch, [property: Id(1)] long Version)
{
    /// <summary>The epoch's first eight hex digits and the version, e.g. <c>1a2b3c4d:42</c>.</summary>
    public override string ToString() => $"{Epoch.ToString("N")[..8]}:{Version}";
}
