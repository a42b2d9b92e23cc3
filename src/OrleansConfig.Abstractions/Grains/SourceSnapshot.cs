namespace OrleansConfig;

/// <summary>One source's whole state, each item tagged with the source.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceSnapshot")]
public sealed record SourceSnapshot
{
    /// <summary>The source's name.</summary>
    [Id(0)] public string Source { get; init; } = "";
    /// <summary>The source's sequence number at this state: it grows by one with every accepted change.</summary>
    [Id(1)] public long Sequence { get; init; }
    /// <summary>The source's Services.</summary>
    [Id(2)] public IReadOnlyList<Service> Services { get; init; } = [];
    /// <summary>The source's Endpoints.</summary>
    [Id(3)] public IReadOnlyList<Endpoints> Endpoints { get; init; } = [];
    /// <summary>Identifies the source's stored history; a source whose storage was lost starts a new one.</summary>
    [Id(4)] public Guid Incarnation { get; init; }

    /// <summary>The source was dropped for silence (see <see cref="SourceStatus.Dropped"/>): the union holds none of these items.</summary>
    [Id(5)] public bool Dropped { get; init; }

    /// <summary>
    /// The source's EndpointSlices as it sent them; <see cref="Endpoints"/> already holds each sliced Service's
    /// Endpoints merged from them, so the union never reads these.
    /// </summary>
    [Id(6)] public IReadOnlyList<EndpointSlice> EndpointSlices { get; init; } = [];
}
