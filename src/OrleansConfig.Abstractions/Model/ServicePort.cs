namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServicePort")]
public sealed record ServicePort
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string Protocol { get; init; } = "TCP";
    [Id(2)] public int Port { get; init; }
    [Id(3)] public IntOrString? TargetPort { get; init; }
    [Id(4)] public int? NodePort { get; init; }

    /// <summary>The application protocol of the port (Kubernetes' <c>appProtocol</c>, e.g. <c>https</c>, <c>kubernetes.io/h2c</c>).</summary>
    [Id(5)] public string? AppProtocol { get; init; }
}
