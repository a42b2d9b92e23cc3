namespace OrleansConfig.Client;

/// <summary>
/// A change handler's changes not yet delivered, keyed by <see cref="UnionKey"/>. Each entry keeps the value the
/// handler last saw (null: it never saw the item) and the value now (null: gone), so folding is one rule — keep the
/// oldest Old, take the newest New — and an entry whose two ends agree is no change at all. That gives: add+remove
/// cancels, update+update is one update, remove+add is an update, add+update an add of the newest, update+remove a
/// remove of what the handler saw. Work is O(change), whatever the size of the union.
/// </summary>
internal sealed class PendingChanges<T> where T : class, IConfigItem
{
    private Dictionary<UnionKey, (T? Old, T? New)> _items;

    public PendingChanges() => _items = [];

    private PendingChanges(Dictionary<UnionKey, (T? Old, T? New)> items) => _items = items;

    public int Count => _items.Count;

    /// <summary>Every item as added: what a handler that has seen nothing is owed.</summary>
    public static PendingChanges<T> AllAdded(IReadOnlyCollection<KeyValuePair<UnionKey, T>> items)
    {
        var map = new Dictionary<UnionKey, (T? Old, T? New)>(items.Count);
        foreach (var (key, item) in items) map[key] = (null, item);
        return new PendingChanges<T>(map);
    }

    /// <summary>Folds one item's change (<paramref name="old"/> → <paramref name="now"/>, null: absent) into what is pending.</summary>
    public void Fold(UnionKey key, T? old, T? now)
    {
        if (_items.TryGetValue(key, out var pending)) old = pending.Old;
        if (old is null ? now is null : now is not null && old.Equals(now)) _items.Remove(key);
        else _items[key] = (old, now);
    }

    /// <summary>Hands over everything pending and starts empty (the dictionary itself, not a copy).</summary>
    public PendingChanges<T> Take()
    {
        var taken = new PendingChanges<T>(_items);
        _items = [];
        return taken;
    }

    /// <summary>Folds every change of <paramref name="changes"/>, in order.</summary>
    public void FoldAll(IReadOnlyList<ItemChange<T>> changes)
    {
        foreach (var change in changes) Fold(change.Key, change.Old, change.New);
    }

    /// <summary>Puts back a batch the handler did not take in (it threw): it is older than anything pending now.</summary>
    public void Restore(PendingChanges<T> older)
    {
        foreach (var (key, (old, now)) in _items) older.Fold(key, old, now);
        _items.Clear();
        foreach (var (key, entry) in older._items) _items[key] = entry;
    }

    /// <summary>The handler's view of this batch, each list in union order; O(k log k) for k pending items.</summary>
    public ConfigChanges<T> ToChanges(UnionVersion version, bool initial)
    {
        // One array sorted by key (no lookup per key afterwards), and each list made at its exact size.
        var entries = new KeyValuePair<UnionKey, (T? Old, T? New)>[_items.Count];
        var (adds, removes) = (0, 0);
        var i = 0;
        foreach (var entry in _items)
        {
            entries[i++] = entry;
            if (entry.Value.Old is null) adds++;
            else if (entry.Value.New is null) removes++;
        }
        if (entries.Length > 1) Array.Sort(entries, static (a, b) => a.Key.CompareTo(b.Key));
        var added = new T[adds];
        var updated = new ItemUpdate<T>[entries.Length - adds - removes];
        var removed = new T[removes];
        var (a, u, r) = (0, 0, 0);
        foreach (var (_, (old, now)) in entries)
        {
            if (old is null) added[a++] = now!;
            else if (now is null) removed[r++] = old;
            else updated[u++] = new ItemUpdate<T>(old, now);
        }
        return new ConfigChanges<T>
        {
            Added = Array.AsReadOnly(added),
            Updated = Array.AsReadOnly(updated),
            Removed = Array.AsReadOnly(removed),
            Version = version,
            Initial = initial,
        };
    }
}
