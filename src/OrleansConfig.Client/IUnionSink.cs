namespace OrleansConfig.Client;

/// <summary>Where a <see cref="UnionSubscription"/> puts what it follows; called from its single loop, in order.</summary>
internal interface IUnionSink
{
    /// <summary>The kinds the sink keeps; an elided change is fetched with only these.</summary>
    ConfigKinds Kinds { get; }

    void ApplySnapshot(UnionSnapshot snapshot);

    void ApplyDelta(UnionDelta delta);

    /// <summary>
    /// The subscription has applied every delta it had for now (or a bounded run of them): a sink that tells others of
    /// deltas in batches tells them now.
    /// </summary>
    void EndOfRun()
    {
    }
}
