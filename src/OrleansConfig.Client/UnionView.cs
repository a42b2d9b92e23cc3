using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace OrleansConfig.Client;

/// <summary>
/// The union of one kind, keyed by (namespace, name, source). The subscription writes; dispatchers and
/// <c>Config()</c> read immutable trees, so the O(n) work of materializing never holds up a write. A hash map is the
/// truth and a write costs O(change) whatever the size of the union; the sorted tree catches up only when someone
/// reads it (a handler told the whole union, <c>Config()</c>), so a client with only change handlers never pays for it.
/// </summary>
internal sealed class UnionView<T> where T : class, IConfigItem
{
    private static readonly IReadOnlyList<T> NoItems = Array.AsReadOnly(Array.Empty<T>());
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> NoSources =
        new ReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>>(new Dictionary<string, IReadOnlyDictionary<ObjectKey, T>>());

    private readonly Lock _writeLock = new();
    private readonly Lock _materializeLock = new();

    private Dictionary<UnionKey, T> _map = [];
    // The tree lags the map by the keys in _dirty; Tree() brings it up to date.
    private ImmutableSortedDictionary<UnionKey, T> _tree = ImmutableSortedDictionary<UnionKey, T>.Empty;
    private readonly HashSet<UnionKey> _dirty = [];
    private UnionVersion _version;
    private long _generation;
    private bool _hasSnapshot;

    // Caches, each valid for one generation, so handlers called for the same generation share one list.
    private long _listGeneration = -1;
    private IReadOnlyList<T> _list = NoItems;
    private long _sourcesGeneration = -1;
    private IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> _sources = NoSources;

    public bool HasSnapshot
    {
        get { lock (_writeLock) return _hasSnapshot; }
    }

    public UnionVersion Version
    {
        get { lock (_writeLock) return _version; }
    }

    /// <summary>0 until the first snapshot; then grows by one with every change of content.</summary>
    public long Generation
    {
        get { lock (_writeLock) return _generation; }
    }

    public int Count
    {
        get { lock (_writeLock) return _map.Count; }
    }

    /// <summary>
    /// Replaces everything; each item's source is its source annotation. True when the content changed (always for
    /// the first). <paramref name="changes"/>, when given, receives every item that differs, in O(n).
    /// </summary>
    public bool ApplySnapshot(UnionVersion version, IReadOnlyList<T> items, List<ItemChange<T>>? changes = null)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<UnionKey, T>();
        foreach (var item in items) builder[UnionKey.Of(item)] = item;
        var next = builder.ToImmutable();
        var map = new Dictionary<UnionKey, T>(next);

        lock (_writeLock)
        {
            var before = Tree();
            var changed = !_hasSnapshot || !SameContent(before, next);
            if (changed && changes is not null) Diff(before, next, changes);
            _map = map;
            _tree = next;
            _dirty.Clear();
            _version = version;
            _hasSnapshot = true;
            if (changed) _generation++;
            return changed;
        }
    }

    /// <summary>
    /// Applies one source's change in O(change), whatever the size of the union. True when the content changed.
    /// <paramref name="changes"/>, when given, receives each item the change altered, with its value before and after.
    /// </summary>
    public bool ApplyDelta(
        UnionVersion version,
        string source,
        IReadOnlyList<T> upserted,
        IReadOnlyList<ObjectKey> removed,
        List<ItemChange<T>>? changes = null)
    {
        lock (_writeLock)
        {
            var changed = false;
            if (removed.Count + upserted.Count == 1)
            {
                var tagged = removed.Count == 1 ? null : upserted[0].WithSource(source);
                changed = tagged is null
                    ? Set(new UnionKey(removed[0], source), null, changes)
                    : Set(new UnionKey(tagged.Key(), source), tagged, changes);
            }
            else
            {
                // Removals first: a key both removed and upserted in one change ends up present. Each key's end state is
                // compared with its start, so a remove and an identical re-add is no change.
                var ends = new Dictionary<UnionKey, T?>(removed.Count + upserted.Count);
                foreach (var key in removed) ends[new UnionKey(key, source)] = null;
                foreach (var item in upserted)
                {
                    var tagged = item.WithSource(source);
                    ends[new UnionKey(tagged.Key(), source)] = tagged;
                }
                foreach (var (key, end) in ends) changed |= Set(key, end, changes);
            }

            _version = version;
            if (changed) _generation++;
            return changed;
        }
    }

    /// <summary>The items now, their version, and whether a snapshot has come in yet; one immutable tree, no copy.</summary>
    public (bool HasSnapshot, UnionVersion Version, ImmutableSortedDictionary<UnionKey, T> Items) Read()
    {
        lock (_writeLock) return (_hasSnapshot, _version, Tree());
    }

    /// <summary>The sorted items at the current generation; one shared read-only list per generation.</summary>
    public UnionViewState<T> Current()
    {
        ImmutableSortedDictionary<UnionKey, T> items;
        UnionVersion version;
        long generation;
        lock (_writeLock)
        {
            items = Tree();
            version = _version;
            generation = _generation;
        }

        lock (_materializeLock)
        {
            if (_listGeneration != generation)
            {
                _list = items.Count == 0 ? NoItems : Array.AsReadOnly(items.Values.ToArray());
                _listGeneration = generation;
            }
            return new UnionViewState<T>(generation, version, _list);
        }
    }

    /// <summary>source → key → item, each level ordinal-sorted; one shared read-only map per generation.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> BySource()
    {
        ImmutableSortedDictionary<UnionKey, T> items;
        long generation;
        lock (_writeLock)
        {
            items = Tree();
            generation = _generation;
        }

        lock (_materializeLock)
        {
            if (_sourcesGeneration != generation)
            {
                var bySource = new SortedDictionary<string, SortedDictionary<ObjectKey, T>>(StringComparer.Ordinal);
                foreach (var (key, item) in items)
                {
                    if (!bySource.TryGetValue(key.Source, out var ofSource))
                    {
                        bySource[key.Source] = ofSource = new SortedDictionary<ObjectKey, T>();
                    }
                    ofSource[key.ObjectKey] = item;
                }

                var result = new SortedDictionary<string, IReadOnlyDictionary<ObjectKey, T>>(StringComparer.Ordinal);
                foreach (var (source, ofSource) in bySource) result[source] = new ReadOnlyDictionary<ObjectKey, T>(ofSource);
                _sources = new ReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>>(result);
                _sourcesGeneration = generation;
            }
            return _sources;
        }
    }

    private static bool SameContent(ImmutableSortedDictionary<UnionKey, T> before, ImmutableSortedDictionary<UnionKey, T> after)
    {
        if (before.Count != after.Count) return false;
        using var left = before.GetEnumerator();
        using var right = after.GetEnumerator();
        while (left.MoveNext() && right.MoveNext())
        {
            if (left.Current.Key.CompareTo(right.Current.Key) != 0 || !left.Current.Value.Equals(right.Current.Value)) return false;
        }
        return true;
    }

    // Both trees are sorted by key: one merge walk finds every difference.
    private static void Diff(
        ImmutableSortedDictionary<UnionKey, T> before, ImmutableSortedDictionary<UnionKey, T> after, List<ItemChange<T>> changes)
    {
        using var left = before.GetEnumerator();
        using var right = after.GetEnumerator();
        var hasLeft = left.MoveNext();
        var hasRight = right.MoveNext();
        while (hasLeft || hasRight)
        {
            var order = !hasLeft ? 1 : !hasRight ? -1 : left.Current.Key.CompareTo(right.Current.Key);
            if (order < 0)
            {
                changes.Add(new ItemChange<T>(left.Current.Key, left.Current.Value, null));
                hasLeft = left.MoveNext();
            }
            else if (order > 0)
            {
                changes.Add(new ItemChange<T>(right.Current.Key, null, right.Current.Value));
                hasRight = right.MoveNext();
            }
            else
            {
                if (!left.Current.Value.Equals(right.Current.Value))
                {
                    changes.Add(new ItemChange<T>(left.Current.Key, left.Current.Value, right.Current.Value));
                }
                hasLeft = left.MoveNext();
                hasRight = right.MoveNext();
            }
        }
    }

    // Under the write lock: one key to its end state (null: absent); true when that differs from what the map held.
    private bool Set(UnionKey key, T? end, List<ItemChange<T>>? changes)
    {
        var had = _map.TryGetValue(key, out var was);
        if (end is null ? !had : had && was!.Equals(end)) return false;
        if (end is null) _map.Remove(key);
        else _map[key] = end;
        _dirty.Add(key);
        changes?.Add(new ItemChange<T>(key, was, end));
        return true;
    }

    // Under the write lock: the sorted tree, brought up to date with the map in O(k log n) for k keys changed since.
    private ImmutableSortedDictionary<UnionKey, T> Tree()
    {
        if (_dirty.Count == 0) return _tree;
        var tree = _tree;
        if (_dirty.Count <= 8)
        {
            foreach (var key in _dirty) tree = _map.TryGetValue(key, out var item) ? tree.SetItem(key, item) : tree.Remove(key);
        }
        else
        {
            // A builder mutates the nodes it has already copied, instead of copying a path per item.
            var builder = tree.ToBuilder();
            foreach (var key in _dirty)
            {
                if (_map.TryGetValue(key, out var item)) builder[key] = item;
                else builder.Remove(key);
            }
            tree = builder.ToImmutable();
        }
        _dirty.Clear();
        _tree = tree;
        return tree;
    }
}

/// <summary>One item's change in the view: <see cref="Old"/> null when it was added, <see cref="New"/> null when removed.</summary>
internal readonly record struct ItemChange<T>(UnionKey Key, T? Old, T? New) where T : class;
