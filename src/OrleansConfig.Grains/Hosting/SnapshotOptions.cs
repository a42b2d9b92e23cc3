namespace OrleansConfig;

/// <summary>How the aggregator serves paged snapshots (<c>OrleansConfig:Snapshots</c>).</summary>
public sealed class SnapshotOptions
{
    /// <summary>The most items one page carries, whatever the reader asks for.</summary>
    public int MaxPageItems { get; set; } = 10_000;

    /// <summary>How long a read's version is kept after its last page; a reader slower than this starts again.</summary>
    public TimeSpan ReadLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most versions held for reads at once (each costs one reference per item); a read whose version was
    /// pushed out by newer ones starts again.
    /// </summary>
    public int MaxReads { get; set; } = 4;
}
