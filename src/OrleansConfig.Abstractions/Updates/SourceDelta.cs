namespace OrleansConfig;

/// <summary>
/// What one change did to one source's state: items upserted and keys removed, per kind. It is what a
/// SourceGrain forwards and what the union stream carries, so its size is the change's, not the state's.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.SourceDelta")]
public sealed record SourceDelta
{
    /// <summary>The source whose state changed.</summary>
    [Id(0)] public string Source { get; init; } = "";

    /// <summary>The source's sequence number after this change; <see cref="PreviousSequence"/> before it.</summary>
    [Id(1)] public long Sequence { get; init; }
    /// <summary>The source's sequence number before this change.</summary>
    [Id(2)] public long PreviousSequence { get; init; }

    /// <summary>Services added or replaced.</summary>
    [Id(3)] public IReadOnlyList<Service> UpsertedServices { get; init; } = [];
    /// <summary>Keys of Services removed.</summary>
    [Id(4)] public IReadOnlyList<ObjectKey> RemovedServices { get; init; } = [];
    /// <summary>Endpoints added or replaced.</summary>
    [Id(5)] public IReadOnlyList<Endpoints> UpsertedEndpoints { get; init; } = [];
    /// <summary>Keys of Endpoints removed.</summary>
    [Id(6)] public IReadOnlyList<ObjectKey> RemovedEndpoints { get; init; } = [];

    /// <summary>When the source grain accepted the change (for propagation latency).</summary>
    [Id(7)] public DateTimeOffset ChangedAt { get; init; }

    /// <summary>
    /// Identifies the source's stored history. A source whose storage was lost starts again with a new
    /// incarnation, so its restarted sequence numbers are not mistaken for old ones.
    /// </summary>
    [Id(8)] public Guid Incarnation { get; init; }

    /// <summary>True when the change touched nothing.</summary>
    public bool IsEmpty =>
        UpsertedServices.Count == 0 && RemovedServices.Count == 0 &&
        UpsertedEndpoints.Count == 0 && RemovedEndpoints.Count == 0;

    /// <summary>How many items the change carries, added and removed.</summary>
    public int Size => UpsertedServices.Count + RemovedServices.Count + UpsertedEndpoints.Count + RemovedEndpoints.Count;
}
