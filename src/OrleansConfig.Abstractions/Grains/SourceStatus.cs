namespace OrleansConfig;

/// <summary>What <c>client sources</c> shows for one source.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceStatus")]
public sealed record SourceStatus
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public int Services { get; init; }
    [Id(2)] public int Endpoints { get; init; }
    [Id(3)] public long Sequence { get; init; }

    /// <summary>When the source's state last changed.</summary>
    [Id(4)] public DateTimeOffset? LastChange { get; init; }

    /// <summary>When the source last sent anything, changed or not.</summary>
    [Id(5)] public DateTimeOffset? LastHeard { get; init; }

    [Id(6)] public bool Synced { get; init; }

    /// <summary>The last error its adapter reported (a bad file, a lost connection), until it recovers.</summary>
    [Id(7)] public string? LastError { get; init; }
    [Id(8)] public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>What its adapter last warned of while still taking the input (unknown fields), until that is gone.</summary>
    [Id(9)] public string? LastWarning { get; init; }
}
