namespace OrleansConfig;

/// <summary>What a SourceGrain stores: its items and what <c>sources</c> reports about it.</summary>
[GenerateSerializer, Alias("OrleansConfig.SourceGrainState")]
internal sealed class SourceGrainState
{
    [Id(0)] public long Sequence { get; set; }
    [Id(1)] public List<Service> Services { get; set; } = [];
    [Id(2)] public List<Endpoints> Endpoints { get; set; } = [];
    [Id(3)] public long ServicesRevision { get; set; }
    [Id(4)] public long EndpointsRevision { get; set; }
    [Id(5)] public bool Synced { get; set; }
    [Id(6)] public DateTimeOffset? LastChange { get; set; }
    [Id(7)] public DateTimeOffset? LastHeard { get; set; }
    [Id(8)] public string? LastError { get; set; }
    [Id(9)] public DateTimeOffset? LastErrorAt { get; set; }
}
