namespace OrleansConfig;

/// <summary>The union of every source (a single grain: key 0), published as versioned deltas.</summary>
[Alias("OrleansConfig.IAggregatorGrain")]
public interface IAggregatorGrain : IGrainWithIntegerKey
{
    /// <summary>Takes one source's change (called by its SourceGrain).</summary>
    [Alias("Apply")]
    Task Apply(SourceDelta delta);

    /// <summary>Makes sure the union holds <paramref name="source"/> at least at <paramref name="sequence"/> of that incarnation.</summary>
    [Alias("CatchUp")]
    Task CatchUp(string source, Guid incarnation, long sequence);

    /// <summary>
    /// Takes a silent source's items out of the union (<paramref name="dropped"/>) or puts them back, keeping the
    /// source's state either way (called by its SourceGrain; see <see cref="SourceStatus.Dropped"/>).
    /// </summary>
    [Alias("SetDropped")]
    Task SetDropped(string source, bool dropped);

    /// <summary>The whole union (every source's items) at its current version.</summary>
    [Alias("GetSnapshot")]
    Task<UnionSnapshot> GetSnapshot();

    /// <summary>
    /// One page of the union's items of <paramref name="kinds"/>: <paramref name="continueToken"/> null starts a read at
    /// the current version, a page's <see cref="UnionSnapshotPage.Continue"/> asks for the next one at that same version
    /// (with the same kinds). At most <paramref name="limit"/> items (Services, then Endpoints), fewer when the
    /// aggregator's page size is smaller. A version no longer held answers <see cref="UnionSnapshotPage.Expired"/>:
    /// start again.
    /// </summary>
    [Alias("GetSnapshotPage")]
    Task<UnionSnapshotPage> GetSnapshotPage(ConfigKinds kinds, string? continueToken, int limit);

    /// <summary>The union's current version, cheap to ask: subscribers compare it with theirs to find out they are behind.</summary>
    [Alias("GetVersion"), AlwaysInterleave]
    Task<UnionVersion> GetVersion();

    /// <summary>
    /// The items of an elided change (see <see cref="UnionDelta.Elided"/>) of the given kinds, or null once it is
    /// no longer kept.
    /// </summary>
    [Alias("GetChange"), AlwaysInterleave]
    Task<SourceDelta?> GetChange(UnionVersion version, ConfigKinds kinds);

    /// <summary>
    /// Takes a source out of the union: its items are removed, its stored state is deleted and it is no longer
    /// listed. An adapter still running under that name brings it back with its next update.
    /// </summary>
    [Alias("RemoveSource")]
    Task<bool> RemoveSource(string source);

    /// <summary>Every source the union has heard from, in name order.</summary>
    [Alias("GetSources")]
    Task<IReadOnlyList<string>> GetSources();
}
