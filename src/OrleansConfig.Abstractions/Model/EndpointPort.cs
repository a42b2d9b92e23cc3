namespace OrleansConfig;

/// <summary>One port of an Endpoints subset (Kubernetes <c>EndpointPort</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.EndpointPort")]
public sealed record EndpointPort
{
    /// <summary>The port's name, matching a Service port's name; may be empty when the Service has one port.</summary>
    [Id(0)] public string? Name { get; init; }
    /// <summary>The port number on each address.</summary>
    [Id(1)] public int Port { get; init; }
    /// <summary>TCP, UDP or SCTP.</summary>
    [Id(2)] public string Protocol { get; init; } = "TCP";
}
