namespace OrleansConfig;

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.SessionAffinityConfig")]
public sealed record SessionAffinityConfig
{
    [Id(0)] public ClientIPConfig? ClientIP { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ClientIPConfig")]
public sealed record ClientIPConfig
{
    [Id(0)] public int? TimeoutSeconds { get; init; }
}
