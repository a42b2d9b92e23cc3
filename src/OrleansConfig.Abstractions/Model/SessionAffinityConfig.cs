namespace OrleansConfig;

[GenerateSerializer, Immutable, Alias("OrleansConfig.SessionAffinityConfig")]
public sealed record SessionAffinityConfig
{
    [Id(0)] public ClientIPConfig? ClientIP { get; init; }
}

[GenerateSerializer, Immutable, Alias("OrleansConfig.ClientIPConfig")]
public sealed record ClientIPConfig
{
    [Id(0)] public int? TimeoutSeconds { get; init; }
}
