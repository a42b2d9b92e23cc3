namespace OrleansConfig;

/// <summary>What one subscriber (a <c>ServiceConfig</c>, <c>EndpointsConfig</c> or <c>ServiceCatalog</c>) says about itself.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SubscriberReport")]
public sealed record SubscriberReport
{
    /// <summary>Tells apart several subscribers of one client; fresh for each.</summary>
    [Id(0)] public Guid Instance { get; init; }

    /// <summary><c>services</c>, <c>endpoints</c> or <c>catalog</c>.</summary>
    [Id(1)] public string Kind { get; init; } = "";

    /// <summary>The machine the subscriber runs on.</summary>
    [Id(2)] public string Host { get; init; } = "";

    /// <summary>The subscriber's process id.</summary>
    [Id(3)] public int ProcessId { get; init; }

    /// <summary>The subscriber's program (its entry assembly, else its process name).</summary>
    [Id(4)] public string ProcessName { get; init; } = "";

    /// <summary>The names of its registered handlers, in registration order.</summary>
    [Id(5)] public IReadOnlyList<string> Handlers { get; init; } = [];

    /// <summary>The union version every handler has processed (the lowest across them); null until each has returned once.</summary>
    [Id(6)] public UnionVersion? Applied { get; init; }

    /// <summary>The union version the subscriber's view holds.</summary>
    [Id(7)] public UnionVersion? Received { get; init; }

    /// <summary>Since the view took the first change a handler has not processed yet; zero when every handler is caught up.</summary>
    [Id(8)] public TimeSpan BehindFor { get; init; }

    /// <summary>Snapshots taken after the first one (gaps, new epochs, reconnects, probes).</summary>
    [Id(9)] public long Resyncs { get; init; }

    /// <summary>The last error a handler threw (<c>handler: message</c>), until that handler returns normally.</summary>
    [Id(10)] public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> was thrown.</summary>
    [Id(11)] public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Equal in everything that matters to a reader: what changes on a report, not when.</summary>
    public bool SameAs(SubscriberReport other) =>
        Instance == other.Instance && Kind == other.Kind && Host == other.Host && ProcessId == other.ProcessId
        && ProcessName == other.ProcessName && Handlers.SequenceEqual(other.Handlers) && Applied == other.Applied
        && Received == other.Received && (BehindFor > TimeSpan.Zero) == (other.BehindFor > TimeSpan.Zero)
        && Resyncs == other.Resyncs && LastError == other.LastError && LastErrorAt == other.LastErrorAt;
}
