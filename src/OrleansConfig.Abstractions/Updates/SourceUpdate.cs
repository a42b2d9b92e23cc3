namespace OrleansConfig;

/// <summary>
/// What a source sends its grain: either kind or both, validated and applied all or nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.SourceUpdate")]
public sealed record SourceUpdate
{
    [Id(0)] public ServiceUpdate? Services { get; init; }
    [Id(1)] public EndpointsUpdate? Endpoints { get; init; }

    /// <summary>Marks the source synced once this update is applied (its initial list is complete).</summary>
    [Id(2)] public bool Synced { get; init; }

    /// <summary>Applies a Set even when it removes more than the source's deletion limit allows.</summary>
    [Id(3)] public bool Force { get; init; }

    public static implicit operator SourceUpdate(ServiceUpdate update) => new() { Services = update };

    public static implicit operator SourceUpdate(EndpointsUpdate update) => new() { Endpoints = update };
}
