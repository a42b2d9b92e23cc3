namespace OrleansConfig.Client;

/// <summary>Where a <see cref="UnionSubscription"/> puts what it follows; called from its single loop, in order.</summary>
internal interface IUnionSink
{
    void ApplySnapshot(UnionSnapshot snapshot);

    void ApplyDelta(UnionDelta delta);
}
