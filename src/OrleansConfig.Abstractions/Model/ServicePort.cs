namespace OrleansConfig;

/// <summary>One port a Service exposes (Kubernetes <c>ServicePort</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServicePort")]
public sealed record ServicePort
{
    /// <summary>The port's name; required and unique when the Service has more than one port.</summary>
    [Id(0)] public string? Name { get; init; }
    /// <summary>TCP, UDP or SCTP.</summary>
    [Id(1)] public string Protocol { get; init; } = "TCP";
    /// <summary>The port the Service listens on.</summary>
    [Id(2)] public int Port { get; init; }
    /// <summary>The backends' port, a number or the name of a container port (default: <see cref="Port"/>).</summary>
    [Id(3)] public IntOrString? TargetPort { get; init; }
    /// <summary>The port opened on every node, for <c>NodePort</c> and <c>LoadBalancer</c> Services.</summary>
    [Id(4)] public int? NodePort { get; init; }

    /// <summary>The application protocol of the port (Kubernetes' <c>appProtocol</c>, e.g. <c>https</c>, <c>kubernetes.io/h2c</c>).</summary>
    [Id(5)] public string? AppProtocol { get; init; }
}
