namespace OrleansConfig.State;

/// <summary>
/// One kind of one source's items, keyed by <c>namespace/name</c>. Planning a change is separate from
/// committing it so a grain can store the change before anyone sees it.
/// </summary>
internal sealed class ItemTable<T> where T : class, IConfigItem
{
    private readonly Dictionary<ObjectKey, T> _items;

    public ItemTable() => _items = [];

    public ItemTable(IEnumerable<T> items) => _items = items.ToDictionary(i => i.Key());

    public int Count => _items.Count;

    public IEnumerable<T> Items => _items.Values;

    public IEnumerable<ObjectKey> Keys => _items.Keys;

    /// <summary>The item with <paramref name="key"/>, or null.</summary>
    public T? Get(ObjectKey key) => _items.GetValueOrDefault(key);

    /// <summary>Works out what <paramref name="op"/> would change: O(items) for Add/Remove, O(state) for Set.</summary>
    public void Plan(Operation op, IReadOnlyList<T> items, List<T> upserts, List<ObjectKey> removals)
    {
        switch (op)
        {
            case Operation.Add:
                foreach (var item in items) AddIfChanged(item, upserts);
                break;
            case Operation.Remove:
                foreach (var item in items)
                {
                    if (_items.ContainsKey(item.Key())) removals.Add(item.Key());
                }
                break;
            case Operation.Set:
                var keep = new HashSet<ObjectKey>(items.Count);
                foreach (var item in items)
                {
                    keep.Add(item.Key());
                    AddIfChanged(item, upserts);
                }
                foreach (var key in _items.Keys)
                {
                    if (!keep.Contains(key)) removals.Add(key);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation");
        }
    }

    private void AddIfChanged(T item, List<T> upserts)
    {
        if (!_items.TryGetValue(item.Key(), out var existing) || !existing.Equals(item)) upserts.Add(item);
    }

    public void Commit(IReadOnlyList<T> upserts, IReadOnlyList<ObjectKey> removals)
    {
        foreach (var key in removals) _items.Remove(key);
        foreach (var item in upserts) _items[item.Key()] = item;
    }

    public T[] ToArray() => [.. _items.Values];

    /// <summary>The items after a commit of these changes, leaving this table as it is.</summary>
    public T[] Project(IReadOnlyList<T> upserts, IReadOnlyList<ObjectKey> removals)
    {
        if (upserts.Count == 0 && removals.Count == 0) return ToArray();
        var projected = new Dictionary<ObjectKey, T>(_items);
        foreach (var key in removals) projected.Remove(key);
        foreach (var item in upserts) projected[item.Key()] = item;
        return [.. projected.Values];
    }
}
