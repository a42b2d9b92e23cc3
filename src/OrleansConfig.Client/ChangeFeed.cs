namespace OrleansConfig.Client;

/// <summary>
/// A shared union's item changes as a chain of batches, one per run of deltas applied together, that every change
/// dispatcher of the union follows (client-go's shared informer hands each listener the same notifications). A dispatcher
/// keeps only the first and last batch it owes, so telling it costs O(1) whatever the change, and what it is owed is
/// folded into its <see cref="ConfigChanges{T}"/> once per range of batches, not once per handler: handlers that keep
/// up ask for the same ranges and share one immutable result.
/// </summary>
internal sealed class ChangeFeed<T> where T : class, IConfigItem
{
    /// <summary>Folded ranges kept for handlers still to ask; more than the handlers of one process ever trail by.</summary>
    private const int FoldedCapacity = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<(long First, long Last), Lazy<ConfigChanges<T>>> _folded = [];
    private ChangeBatch<T>? _last;
    private long _sequence;

    /// <summary>
    /// Appends the changes of one run at <paramref name="version"/> and <paramref name="generation"/>; called under the
    /// union's apply lock.
    /// </summary>
    public ChangeBatch<T> Append(UnionVersion version, long generation, ItemChange<T>[] changes)
    {
        var batch = new ChangeBatch<T>(++_sequence, version, generation, changes);
        // Folded here, once, before any handler can ask: handlers that keep up ask for exactly this batch, and none of
        // them then waits for another to fold it.
        var folded = new Lazy<ConfigChanges<T>>(FoldInto(new PendingChanges<T>(), batch, batch).ToChanges(version, initial: false));
        lock (_lock) Remember((batch.Sequence, batch.Sequence), folded);
        _last?.Link(batch);
        _last = batch;
        return batch;
    }

    /// <summary>
    /// The changes from <paramref name="first"/> to <paramref name="last"/> (inclusive, a range this feed handed out),
    /// folded and in union order; built once for every handler that asks for the same range.
    /// </summary>
    public ConfigChanges<T> Fold(ChangeBatch<T> first, ChangeBatch<T> last)
    {
        Lazy<ConfigChanges<T>> folded;
        lock (_lock)
        {
            if (!_folded.TryGetValue((first.Sequence, last.Sequence), out folded!))
            {
                // Publication-only: a handler never blocks a pool thread waiting for another's fold; at worst two fold it.
                folded = new Lazy<ConfigChanges<T>>(
                    () => FoldInto(new PendingChanges<T>(), first, last).ToChanges(last.Version, initial: false),
                    LazyThreadSafetyMode.PublicationOnly);
                Remember((first.Sequence, last.Sequence), folded);
            }
        }
        return folded.Value;
    }

    // Under _lock: the oldest range goes when full.
    private void Remember((long First, long Last) range, Lazy<ConfigChanges<T>> folded)
    {
        if (_folded.Count >= FoldedCapacity) _folded.Remove(_folded.Keys.MinBy(k => k.Last));
        _folded[range] = folded;
    }

    /// <summary>Folds the batches from <paramref name="first"/> to <paramref name="last"/> into <paramref name="pending"/>.</summary>
    public static PendingChanges<T> FoldInto(PendingChanges<T> pending, ChangeBatch<T> first, ChangeBatch<T> last)
    {
        for (var batch = first; ; batch = batch.Next!)
        {
            pending.FoldAll(batch.Changes);
            if (batch == last) return pending;
        }
    }
}

/// <summary>One run's item changes in the order applied, with the view's version and generation after it.</summary>
internal sealed class ChangeBatch<T>(long sequence, UnionVersion version, long generation, ItemChange<T>[] changes) where T : class
{
    private ChangeBatch<T>? _next;

    public long Sequence { get; } = sequence;

    public UnionVersion Version { get; } = version;

    public long Generation { get; } = generation;

    public IReadOnlyList<ItemChange<T>> Changes { get; } = changes;

    /// <summary>The batch after this one; set before that one is handed to any dispatcher.</summary>
    public ChangeBatch<T>? Next => Volatile.Read(ref _next);

    internal void Link(ChangeBatch<T> next) => Volatile.Write(ref _next, next);
}
