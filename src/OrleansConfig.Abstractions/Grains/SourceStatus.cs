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

    /// <summary>When the source last sent anything, changed or not.</summary>
    [Id(5)] public DateTimeOffset? LastHeard { get; init; }

    /// <summary>True once the source has sent its initial list in full.</summary>
    [Id(6)] public bool Synced { get; init; }

    /// <summary>The last error its adapter reported (a bad file, a lost connection), until it recovers.</summary>
    [Id(7)] public string? LastError { get; init; }
    /// <summary>When <see cref="LastError"/> was reported.</summary>
    [Id(8)] public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>What its adapter last warned of while still taking the input (unknown fields), until that is gone.</summary>
    [Id(9)] public string? LastWarning { get; init; }
}
