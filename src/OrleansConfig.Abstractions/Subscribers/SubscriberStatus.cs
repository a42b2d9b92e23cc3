namespace OrleansConfig;

/// <summary>What <c>orleans-config subscribers</c> shows for one subscriber: its last report and what the registry measured.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SubscriberStatus")]
public sealed record SubscriberStatus
{
    /// <summary>The client the report came from, as the silo knows it (its Orleans client id).</summary>
    [Id(0)] public string Client { get; init; } = "";

    /// <summary>The subscriber within that client.</summary>
    [Id(1)] public Guid Instance { get; init; }

    /// <summary><c>services</c>, <c>endpoints</c> or <c>catalog</c>.</summary>
    [Id(2)] public string Kind { get; init; } = "";

    /// <summary>The machine the subscriber runs on.</summary>
    [Id(3)] public string Host { get; init; } = "";

    /// <summary>The subscriber's process id.</summary>
    [Id(4)] public int ProcessId { get; init; }

    /// <summary>The subscriber's program.</summary>
    [Id(5)] public string ProcessName { get; init; } = "";

    /// <summary>Its handlers' names.</summary>
    [Id(6)] public IReadOnlyList<string> Handlers { get; init; } = [];

    /// <summary>The union version every handler has processed (<c>epoch:version</c>); null until each has returned once.</summary>
    [Id(7)] public string? Applied { get; init; }

    /// <summary>The union version its view holds.</summary>
    [Id(8)] public string? Received { get; init; }

    /// <summary>The union's version when this list was made.</summary>
    [Id(9)] public string? Union { get; init; }

    /// <summary>
    /// Versions between <see cref="Applied"/> and <see cref="Union"/>; null when they are of different epochs or nothing is
    /// applied yet.
    /// </summary>
    [Id(10)] public long? VersionsBehind { get; init; }

    /// <summary>Seconds since its view took the first change a handler has not processed, as of its last report.</summary>
    [Id(11)] public double SecondsBehind { get; init; }

    /// <summary>Snapshots taken after the first one.</summary>
    [Id(12)] public long Resyncs { get; init; }

    /// <summary>The last error a handler threw, until it returns normally again.</summary>
    [Id(13)] public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> was thrown.</summary>
    [Id(14)] public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>When the registry first heard of this subscriber.</summary>
    [Id(15)] public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the subscriber last reported.</summary>
    [Id(16)] public DateTimeOffset LastReport { get; init; }
}
