namespace OrleansConfig.Persistence;

/// <summary>A source's whole state as of journal position <see cref="Position"/>; written only on compaction.</summary>
[GenerateSerializer, Alias("OrleansConfig.SourceRecord")]
internal sealed class SourceRecord
{
    [Id(0)] public long Position { get; set; }
    [Id(1)] public long Sequence { get; set; }
    [Id(2)] public Service[] Services { get; set; } = [];
    [Id(3)] public Endpoints[] Endpoints { get; set; } = [];
    [Id(4)] public SourceBookkeeping Bookkeeping { get; set; } = new();
}
