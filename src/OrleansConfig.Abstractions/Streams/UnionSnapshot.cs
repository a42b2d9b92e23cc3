namespace OrleansConfig;

/// <summary>The whole union at one version. Every item carries its source annotation.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionSnapshot")]
public sealed record UnionSnapshot
{
    [Id(0)] public UnionVersion Version { get; init; }
    [Id(1)] public IReadOnlyList<Service> Services { get; init; } = [];
    [Id(2)] public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
}
