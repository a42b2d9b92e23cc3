namespace OrleansConfig.Persistence;

/// <summary>What <c>sources</c> reports about a source besides its items.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceBookkeeping")]
internal sealed record SourceBookkeeping
{
    [Id(0)] public bool Synced { get; init; }
    [Id(1)] public DateTimeOffset? LastChange { get; init; }
    [Id(2)] public DateTimeOffset? LastHeard { get; init; }
    [Id(3)] public string? LastError { get; init; }
    [Id(4)] public DateTimeOffset? LastErrorAt { get; init; }
    [Id(5)] public long ServicesRevision { get; init; }
    [Id(6)] public long EndpointsRevision { get; init; }
    [Id(7)] public Guid Incarnation { get; init; }
    [Id(8)] public string? LastWarning { get; init; }

    /// <summary>Dropped for silence: the union holds none of the source's items until it is heard from again.</summary>
    [Id(9)] public bool Dropped { get; init; }

    [Id(10)] public long EndpointSlicesRevision { get; init; }
}
