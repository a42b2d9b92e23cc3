namespace OrleansConfig.State;

/// <summary>
/// The part of a source's change the union never sees: its EndpointSlices, and the v1 Endpoints it sent for Services
/// whose slices currently win (shadowed). Journaled with the <see cref="SourceDelta"/> so a restart loses none of it.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SliceChange")]
internal sealed record SliceChange
{
    /// <summary>No change to slices or shadowed Endpoints.</summary>
    public static SliceChange None { get; } = new();

    /// <summary>Slices added or replaced.</summary>
    [Id(0)] public IReadOnlyList<EndpointSlice> UpsertedSlices { get; init; } = [];
    /// <summary>Keys (<c>namespace/sliceName</c>) of slices removed.</summary>
    [Id(1)] public IReadOnlyList<ObjectKey> RemovedSlices { get; init; } = [];
    /// <summary>v1 Endpoints kept aside because the same Service has slices.</summary>
    [Id(2)] public IReadOnlyList<Endpoints> UpsertedShadowed { get; init; } = [];
    /// <summary>Keys of shadowed v1 Endpoints no longer kept aside (removed, or in the union again).</summary>
    [Id(3)] public IReadOnlyList<ObjectKey> RemovedShadowed { get; init; } = [];

    /// <summary>True when nothing changes.</summary>
    public bool IsEmpty => UpsertedSlices.Count == 0 && RemovedSlices.Count == 0 && UpsertedShadowed.Count == 0 && RemovedShadowed.Count == 0;

    /// <summary>How many items the change carries.</summary>
    public int Size => UpsertedSlices.Count + RemovedSlices.Count + UpsertedShadowed.Count + RemovedShadowed.Count;
}
