namespace OrleansConfig;

/// <summary>
/// One page of a paged union snapshot (see <see cref="IAggregatorGrain.GetSnapshotPage"/>): Services first, then
/// Endpoints, every page of one read at the same <see cref="Version"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.UnionSnapshotPage")]
public sealed record UnionSnapshotPage
{
    /// <summary>The union version every page of this read is consistent at.</summary>
    [Id(0)] public UnionVersion Version { get; init; }
    /// <summary>This page's Services, each tagged with its source.</summary>
    [Id(1)] public IReadOnlyList<Service> Services { get; init; } = [];
    /// <summary>This page's Endpoints, each tagged with its source.</summary>
    [Id(2)] public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
    /// <summary>The token that asks for the next page; null on the last page.</summary>
    [Id(3)] public string? Continue { get; init; }
    /// <summary>
    /// True when the version the continue token pointed at is no longer held (the read was too slow, too many reads
    /// ran at once, or the aggregator restarted): the page is empty and the reader starts again without a token.
    /// </summary>
    [Id(4)] public bool Expired { get; init; }
    /// <summary>How many items (Services and Endpoints) the whole read holds.</summary>
    [Id(5)] public long Total { get; init; }
}
