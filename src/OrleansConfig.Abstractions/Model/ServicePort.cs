namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ServicePort")]
public sealed record ServicePort
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string Protocol { get; init; } = "TCP";
    [Id(2)] public int Port { get; init; }
    [Id(3)] public IntOrString? TargetPort { get; init; }
    [Id(4)] public int? NodePort { get; init; }
}
