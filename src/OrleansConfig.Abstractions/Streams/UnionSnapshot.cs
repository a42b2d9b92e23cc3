namespace OrleansConfig;

/// <summary>The whole union at one version. Every item carries its source annotation.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionSnapshot")]
public sealed record UnionSnapshot
{
    /// <summary>The version of the union this snapshot holds.</summary>
    [Id(0)] public UnionVersion Version { get; init; }
    /// <summary>Every source's Services, each tagged with its source, in namespace, name, source order.</summary>
    [Id(1)] public IReadOnlyList<Service> Services { get; init; } = [];
    /// <summary>Every source's Endpoints, each tagged with its source, in namespace, name, source order.</summary>
    [Id(2)] public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
}
