namespace OrleansConfig.Persistence;

/// <summary>One accepted change of a source, stored on its own so a write costs O(change).</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.JournalEntry")]
internal sealed record JournalEntry
{
    [Id(0)] public long Position { get; init; }

    /// <summary>The items changed (empty when only the bookkeeping changed).</summary>
    [Id(1)] public SourceDelta Delta { get; init; } = new();

    [Id(2)] public SourceBookkeeping Bookkeeping { get; init; } = new();
}
