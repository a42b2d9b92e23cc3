namespace OrleansConfig;

/// <summary>What <c>client sources</c> shows for one source.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceStatus")]
public sealed record SourceStatus
{
    /// <summary>The source's name.</summary>
    [Id(0)] public string Name { get; init; } = "";
    /// <summary>How many Services the source holds.</summary>
    [Id(1)] public int Services { get; init; }
    /// <summary>How many Endpoints the source holds.</summary>
    [Id(2)] public int Endpoints { get; init; }
    /// <summary>The source's sequence number: how many changes it has accepted.</summary>
    [Id(3)] public long Sequence { get; init; }

    /// <summary>When the source's state last changed.</summary>
    [Id(4)] public DateTimeOffset? LastChange { get; init; }

    /// <summary>
    /// When the source was last heard from: an accepted update (changed or not), a heartbeat, or its adapter reporting
    /// that it recovered. An adapter reporting an error is not heard from.
    /// </summary>
    [Id(5)] public DateTimeOffset? LastHeard { get; init; }

    /// <summary>True once the source has sent its initial list in full.</summary>
    [Id(6)] public bool Synced { get; init; }

    /// <summary>The last error its adapter reported (a bad file, a lost connection), until it recovers.</summary>
    [Id(7)] public string? LastError { get; init; }
    /// <summary>When <see cref="LastError"/> was reported.</summary>
    [Id(8)] public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>What its adapter last warned of while still taking the input (unknown fields), until that is gone.</summary>
    [Id(9)] public string? LastWarning { get; init; }

    /// <summary>Not heard from for its <see cref="StaleAfter"/> (or dropped); its items stay in the union unless <see cref="Dropped"/>.</summary>
    [Id(10)] public bool Stale { get; init; }

    /// <summary>Not heard from for its <see cref="DropAfter"/>: its items are out of the union until it is heard from again.</summary>
    [Id(11)] public bool Dropped { get; init; }

    /// <summary>How long the source may stay silent before it is stale (<c>OrleansConfig:Sources[:NAME]:StaleAfter</c>); null: never.</summary>
    [Id(12)] public TimeSpan? StaleAfter { get; init; }

    /// <summary>How long the source may stay silent before its items leave the union (<c>OrleansConfig:Sources:NAME:DropAfter</c>); null: never.</summary>
    [Id(13)] public TimeSpan? DropAfter { get; init; }
}
