namespace OrleansConfig;

/// <summary>One source's whole state, each item tagged with the source.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceSnapshot")]
public sealed record SourceSnapshot
{
    [Id(0)] public string Source { get; init; } = "";
    [Id(1)] public long Sequence { get; init; }
    [Id(2)] public IReadOnlyList<Service> Services { get; init; } = [];
    [Id(3)] public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
    [Id(4)] public Guid Incarnation { get; init; }

    /// <summary>The source was dropped for silence (see <see cref="SourceStatus.Dropped"/>): the union holds none of these items.</summary>
    [Id(5)] public bool Dropped { get; init; }
}
