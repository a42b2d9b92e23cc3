namespace OrleansConfig.Sources.Etcd;

/// <summary>One revision's changes to one kind, by item: the last event for a key wins (null: removed).</summary>
internal sealed class EtcdKindChanges<T> where T : class, IConfigItem
{
    private readonly Dictionary<ObjectKey, T?> _changes = [];

    public int Count => _changes.Count;

    public void Note(ObjectKey key, T? item) => _changes[key] = item;

    public (List<T> Upserts, List<T> Removals) Split(Func<ObjectKey, T> named)
    {
        List<T> upserts = [];
        List<T> removals = [];
        foreach (var (key, item) in _changes)
        {
            if (item is null) removals.Add(named(key));
            else upserts.Add(item);
        }
        return (upserts, removals);
    }
}
