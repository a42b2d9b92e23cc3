namespace OrleansConfig;

/// <summary>
/// What a source sends its grain: any of its kinds, validated and applied all or nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceUpdate")]
public sealed record SourceUpdate
{
    /// <summary>The change to the source's Services, if any.</summary>
    [Id(0)] public ServiceUpdate? Services { get; init; }
    /// <summary>The change to the source's Endpoints, if any.</summary>
    [Id(1)] public EndpointsUpdate? Endpoints { get; init; }

    /// <summary>Marks the source synced once this update is applied (its initial list is complete).</summary>
    [Id(2)] public bool Synced { get; init; }

    /// <summary>Applies a Set even when it removes more than the source's deletion limit allows.</summary>
    [Id(3)] public bool Force { get; init; }

    /// <summary>The change to the source's EndpointSlices, if any.</summary>
    [Id(4)] public EndpointSliceUpdate? EndpointSlices { get; init; }

    /// <summary>An update of Services alone.</summary>
    public static implicit operator SourceUpdate(ServiceUpdate update) => new() { Services = update };

    /// <summary>An update of Endpoints alone.</summary>
    public static implicit operator SourceUpdate(EndpointsUpdate update) => new() { Endpoints = update };

    /// <summary>An update of EndpointSlices alone.</summary>
    public static implicit operator SourceUpdate(EndpointSliceUpdate update) => new() { EndpointSlices = update };
}
