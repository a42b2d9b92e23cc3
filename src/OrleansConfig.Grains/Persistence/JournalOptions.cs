namespace OrleansConfig.Persistence;

/// <summary>When a source's journal is folded into a new snapshot.</summary>
public sealed class JournalOptions
{
    /// <summary>Journaled items since the snapshot before compaction is considered at all.</summary>
    public int CompactionMinItems { get; set; } = 1024;

    /// <summary>
    /// Compact once journaled items reach this fraction of the state's size: the snapshot's O(state) write
    /// is then spread over O(state) changes, so the amortized cost per change stays flat.
    /// </summary>
    public double CompactionRatio { get; set; } = 0.25;

    /// <summary>How many journal entries are read (or cleared) at once.</summary>
    public int ReadBatch { get; set; } = 32;
}
