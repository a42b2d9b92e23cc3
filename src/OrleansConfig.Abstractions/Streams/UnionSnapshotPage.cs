namespace OrleansConfig;

/// <summary>
/// One page of a paged union snapshot (see <see cref="IAggregatorGrain.GetSnapshotPage"/>): Services first, then
/// Endpoints, every page of one read at the same <see cref="Version"/>.
/// </summary>
// Crosses the wire as UnionSnapshotPageSurrogate (compact items); immutable, so a call within a silo passes it as is.
[Immutable, Alias("OrleansConfig.UnionSnapshotPage")]
public sealed record UnionSnapshotPage
{
    /// <summary>The union version every page of this read is consistent at.</summary>
    public UnionVersion Version { get; init; }
    /// <summary>This page's Services, each tagged with its source.</summary>
    public IReadOnlyList<Service> Services { get; init; } = [];
    /// <summary>This page's Endpoints, each tagged with its source.</summary>
    public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
    /// <summary>The token that asks for the next page; null on the last page.</summary>
    public string? Continue { get; init; }
    /// <summary>
    /// True when the version the continue token pointed at is no longer held (the read was too slow, too many reads
    /// ran at once, or the aggregator restarted): the page is empty and the reader starts again without a token.
    /// </summary>
    public bool Expired { get; init; }
    /// <summary>How many items (Services and Endpoints) the whole read holds.</summary>
    public long Total { get; init; }
}
