namespace OrleansConfig;

/// <summary>One address of an Endpoints subset (Kubernetes <c>EndpointAddress</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointAddress")]
public sealed record EndpointAddress
{
    /// <summary>The address's IP (IPv4 or IPv6).</summary>
    [Id(0)] public string Ip { get; init; } = "";
    /// <summary>The address's host name, if it has one.</summary>
    [Id(1)] public string? Hostname { get; init; }
    /// <summary>The node the address runs on, if known.</summary>
    [Id(2)] public string? NodeName { get; init; }
}
