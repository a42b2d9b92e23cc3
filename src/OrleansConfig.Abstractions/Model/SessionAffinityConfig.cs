namespace OrleansConfig;

/// <summary>Settings of a Service's session affinity.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.SessionAffinityConfig")]
public sealed record SessionAffinityConfig
{
    /// <summary>Settings of ClientIP affinity.</summary>
    [Id(0)] public ClientIPConfig? ClientIP { get; init; }
}

/// <summary>Settings of ClientIP affinity.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.ClientIPConfig")]
public sealed record ClientIPConfig
{
    /// <summary>How long a client stays on its backend after its last connection (Kubernetes' default: 10800).</summary>
    [Id(0)] public int? TimeoutSeconds { get; init; }
}
