using Orleans.Storage;
using OrleansConfig.State;

namespace OrleansConfig.Persistence;

/// <summary>
/// Stores a source as a snapshot plus a journal of changes, each its own record in grain storage.
/// A change is one small write; the snapshot is rewritten only when the journal has grown to a fixed
/// fraction of the state, which keeps the cost per change independent of the state's size.
/// </summary>
internal sealed class SourceJournal(IGrainStorage storage, GrainId owner, string source, JournalOptions options)
{
    private const string SnapshotStateName = "source";
    private const string EntryStateName = "source-journal";

    private readonly GrainState<SourceRecord> _snapshot = new(new SourceRecord());
    private readonly List<(long Position, string? ETag)> _entries = [];
    private long _position;
    private long _journaledItems;

    /// <summary>Reads the snapshot, then replays the journal after it.</summary>
    public async Task<(SourceState State, SourceBookkeeping Bookkeeping)> Load(CancellationToken cancellationToken)
    {
        await storage.ReadStateAsync(SnapshotStateName, owner, _snapshot, cancellationToken);
        var record = _snapshot.State ??= new SourceRecord();
        var bookkeeping = record.Bookkeeping;
        var state = new SourceState(
            source, record.Sequence, record.Services.Select(ItemCompactor.Shared.Compact),
            record.Endpoints.Select(ItemCompactor.Shared.Compact), record.EndpointSlices ?? [], record.ShadowedEndpoints ?? []);
        _position = record.Position;
        while (true)
        {
            var batch = await Task.WhenAll(Enumerable.Range(1, options.ReadBatch).Select(i => ReadEntry(_position + i, cancellationToken)));
            foreach (var read in batch)
            {
                if (!read.RecordExists) return Loaded(state, bookkeeping);
                var entry = read.State!;
                if (!entry.Delta.IsEmpty || entry.Slices is { IsEmpty: false }) state.Commit(entry.Delta, entry.Slices);
                bookkeeping = entry.Bookkeeping;
                _position = entry.Position;
                _journaledItems += Math.Max(1, entry.Delta.Size + (entry.Slices?.Size ?? 0));
                _entries.Add((entry.Position, read.ETag));
            }
        }
    }

    private static (SourceState, SourceBookkeeping) Loaded(SourceState state, SourceBookkeeping bookkeeping)
    {
        state.ServicesRevision = bookkeeping.ServicesRevision;
        state.EndpointsRevision = bookkeeping.EndpointsRevision;
        state.EndpointSlicesRevision = bookkeeping.EndpointSlicesRevision;
        state.Incarnation = bookkeeping.Incarnation;
        return (state, bookkeeping);
    }

    /// <summary>Durably records one change; nothing is visible to anyone before this returns.</summary>
    public async Task Append(
        SourceDelta delta, SourceBookkeeping bookkeeping, SliceChange? slices = null, CancellationToken cancellationToken = default)
    {
        var position = _position + 1;
        // An entry without slice changes is written as before this field existed.
        var entry = new JournalEntry
        {
            Position = position, Delta = delta, Bookkeeping = bookkeeping, Slices = slices is { IsEmpty: false } ? slices : null,
        };
        var record = new GrainState<JournalEntry>(entry);
        await storage.WriteStateAsync(EntryStateName, EntryId(position), record, cancellationToken);
        _position = position;
        _journaledItems += Math.Max(1, delta.Size + (slices?.Size ?? 0));
        _entries.Add((position, record.ETag));
    }

    public bool CompactionDue(int stateItems) =>
        _journaledItems >= Math.Max(options.CompactionMinItems, stateItems * options.CompactionRatio);

    /// <summary>
    /// True when a change is so large against the state (a big Set) that writing the whole new state costs
    /// about as much as journaling the change, and saves the compaction that would follow.
    /// </summary>
    public bool SnapshotInstead(int changeSize, int stateItems) =>
        changeSize >= Math.Max(options.CompactionMinItems, stateItems * options.CompactionRatio);

    /// <summary>Writes the whole state as the new snapshot, then drops the journal it replaces.</summary>
    public Task Compact(SourceState state, SourceBookkeeping bookkeeping, CancellationToken cancellationToken = default) =>
        Compact(new SourceRecord
        {
            Sequence = state.Sequence,
            Services = state.Services.ToArray(),
            Endpoints = state.Endpoints.ToArray(),
            EndpointSlices = state.Slices.ToArray(),
            ShadowedEndpoints = state.Shadowed.ToArray(),
            Bookkeeping = bookkeeping,
        }, cancellationToken);

    /// <summary>Writes <paramref name="services"/> and <paramref name="endpoints"/> as the whole state at
    /// <paramref name="sequence"/>.</summary>
    public Task Compact(Service[] services, Endpoints[] endpoints, long sequence, SourceBookkeeping bookkeeping,
        CancellationToken cancellationToken = default) =>
        Compact(new SourceRecord { Sequence = sequence, Services = services, Endpoints = endpoints, Bookkeeping = bookkeeping }, cancellationToken);

    /// <summary>Writes <paramref name="record"/> (its position set here) as the whole state.</summary>
    public async Task Compact(SourceRecord record, CancellationToken cancellationToken = default)
    {
        record.Position = _position;
        _snapshot.State = record;
        await storage.WriteStateAsync(SnapshotStateName, owner, _snapshot, cancellationToken);
        _journaledItems = 0;
        // Entries at or below the snapshot's position are never read again; clearing them only frees space.
        await ClearEntries(cancellationToken);
    }

    /// <summary>Deletes the snapshot and every journal entry: the source has no stored state afterwards.</summary>
    public async Task Clear(CancellationToken cancellationToken = default)
    {
        await ClearEntries(cancellationToken);
        await storage.ClearStateAsync(SnapshotStateName, owner, _snapshot, cancellationToken);
        _snapshot.State = new SourceRecord();
        _position = 0;
        _journaledItems = 0;
    }

    /// <summary>Deletes the journal entries written since the snapshot was last read or written.</summary>
    private async Task ClearEntries(CancellationToken cancellationToken)
    {
        var entries = _entries.ToArray();
        _entries.Clear();
        foreach (var chunk in entries.Chunk(options.ReadBatch))
        {
            await Task.WhenAll(chunk.Select(e => storage.ClearStateAsync(
                EntryStateName, EntryId(e.Position), new GrainState<JournalEntry> { ETag = e.ETag, RecordExists = true },
                    cancellationToken)));
        }
    }

    private async Task<GrainState<JournalEntry>> ReadEntry(long position, CancellationToken cancellationToken)
    {
        var state = new GrainState<JournalEntry>();
        await storage.ReadStateAsync(EntryStateName, EntryId(position), state, cancellationToken);
        return state;
    }

    private GrainId EntryId(long position) => GrainId.Create("orleansconfig-journal", $"{source}/{position}");
}

/// <summary>A source's whole state as of journal position <see cref="Position"/>; written only on compaction.</summary>
[GenerateSerializer, Alias("OrleansConfig.SourceRecord")]
internal sealed class SourceRecord
{
    [Id(0)] public long Position { get; set; }
    [Id(1)] public long Sequence { get; set; }
    [Id(2)] public Service[] Services { get; set; } = [];
    [Id(3)] public Endpoints[] Endpoints { get; set; } = [];
    [Id(4)] public SourceBookkeeping Bookkeeping { get; set; } = new();
    [Id(5)] public EndpointSlice[]? EndpointSlices { get; set; } = [];
    [Id(6)] public Endpoints[]? ShadowedEndpoints { get; set; } = [];
}

/// <summary>One accepted change of a source, stored on its own so a write costs O(change).</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.JournalEntry")]
internal sealed record JournalEntry
{
    [Id(0)] public long Position { get; init; }

    /// <summary>The items changed (empty when only the bookkeeping changed).</summary>
    [Id(1)] public SourceDelta Delta { get; init; } = new();

    [Id(2)] public SourceBookkeeping Bookkeeping { get; init; } = new();

    /// <summary>The change to the source's slices and shadowed Endpoints, if any.</summary>
    [Id(3)] public SliceChange? Slices { get; init; }
}
