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
    private readonly Dictionary<UnionKey, (T? Old, T? New)> _items;

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

    /// <summary>Hands over everything pending and starts empty.</summary>
    public PendingChanges<T> Take()
    {
        var taken = new PendingChanges<T>(new Dictionary<UnionKey, (T? Old, T? New)>(_items));
        _items.Clear();
        return taken;
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
        var keys = _items.Keys.ToArray();
        Array.Sort(keys);
        var added = new List<T>();
        var updated = new List<ItemUpdate<T>>();
        var removed = new List<T>();
        foreach (var key in keys)
        {
            var (old, now) = _items[key];
            if (old is null) added.Add(now!);
            else if (now is null) removed.Add(old);
            else updated.Add(new ItemUpdate<T>(old, now));
        }
        return new ConfigChanges<T>
        {
            Added = added.AsReadOnly(),
            Updated = updated.AsReadOnly(),
            Removed = removed.AsReadOnly(),
            Version = version,
            Initial = initial,
        };
    }
}
