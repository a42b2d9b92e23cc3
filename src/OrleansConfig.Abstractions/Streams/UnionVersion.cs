namespace OrleansConfig;

/// <summary>
/// A point in the union's history. <see cref="Epoch"/> is fresh each time the aggregator activates;
/// versions only compare within one epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionVersion")]
public readonly record struct UnionVersion([property: Id(0)] Guid Epoch, [property: Id(1)] long Version)
{
    public override string ToString() => $"{Epoch.ToString("N")[..8]}:{Version}";
}
