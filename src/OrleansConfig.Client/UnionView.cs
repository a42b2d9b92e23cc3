using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace OrleansConfig.Client;

/// <summary>
/// The union of one kind, keyed by (namespace, name, source). The subscription writes; dispatchers and
/// <c>Config()</c> read immutable trees, so the O(n) work of materializing never holds up a write.
/// </summary>
internal sealed class UnionView<T> where T : class, IConfigItem
{
    private static readonly IReadOnlyList<T> NoItems = Array.AsReadOnly(Array.Empty<T>());
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> NoSources =
        new ReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>>(new Dictionary<string, IReadOnlyDictionary<ObjectKey, T>>());

    private readonly Lock _writeLock = new();
    private readonly Lock _materializeLock = new();

    private ImmutableSortedDictionary<UnionKey, T> _items = ImmutableSortedDictionary<UnionKey, T>.Empty;
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
        get { lock (_writeLock) return _items.Count; }
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

        lock (_writeLock)
        {
            var changed = !_hasSnapshot || !SameContent(_items, next);
            if (changed && changes is not null) Diff(_items, next, changes);
            _items = next;
            _version = version;
            _hasSnapshot = true;
            if (changed) _generation++;
            return changed;
        }
    }

    /// <summary>
    /// Applies one source's change in O(change · log n). True when the content changed. <paramref name="changes"/>,
    /// when given, receives each item the change altered, with its value before and after.
    /// </summary>
    public bool ApplyDelta(
        UnionVersion version, string source, IReadOnlyList<T> upserted, IReadOnlyList<ObjectKey> removed, List<ItemChange<T>>? changes = null)
    {
        lock (_writeLock)
        {
            var before = _items;
            ImmutableSortedDictionary<UnionKey, T> after;
            if (removed.Count + upserted.Count <= 8)
            {
                after = before;
                // Removals first: a key both removed and upserted in one change ends up present.
                foreach (var key in removed) after = after.Remove(new UnionKey(key, source));
                foreach (var item in upserted)
                {
                    var tagged = item.WithSource(source);
                    after = after.SetItem(new UnionKey(tagged.Key(), source), tagged);
                }
            }
            else
            {
                // A builder mutates the nodes it has already copied, instead of copying a path per item.
                var builder = before.ToBuilder();
                foreach (var key in removed) builder.Remove(new UnionKey(key, source));
                foreach (var item in upserted)
                {
                    var tagged = item.WithSource(source);
                    builder[new UnionKey(tagged.Key(), source)] = tagged;
                }
                after = builder.ToImmutable();
            }

            // A remove and an identical re-add builds a new tree with the same content: compare the touched keys only.
            var changed = false;
            if (!ReferenceEquals(before, after))
            {
                foreach (var key in removed) changed |= Differs(before, after, new UnionKey(key, source));
                foreach (var item in upserted) changed |= Differs(before, after, new UnionKey(item.Key(), source));
            }

            if (changed && changes is not null) Collect(before, after, source, upserted, removed, changes);

            _items = after;
            _version = version;
            if (changed) _generation++;
            return changed;
        }
    }

    /// <summary>The items now, their version, and whether a snapshot has come in yet; one immutable tree, no copy.</summary>
    public (bool HasSnapshot, UnionVersion Version, ImmutableSortedDictionary<UnionKey, T> Items) Read()
    {
        lock (_writeLock) return (_hasSnapshot, _version, _items);
    }

    /// <summary>The sorted items at the current generation; one shared read-only list per generation.</summary>
    public UnionViewState<T> Current()
    {
        ImmutableSortedDictionary<UnionKey, T> items;
        UnionVersion version;
        long generation;
        lock (_writeLock)
        {
            items = _items;
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
            items = _items;
            generation = _generation;
        }

        lock (_materializeLock)
        {
            if (_sourcesGeneration != generation)
            {
                var bySource = new SortedDictionary<string, SortedDictionary<ObjectKey, T>>(StringComparer.Ordinal);
                foreach (var (key, item) in items)
                {
                    if (!bySource.TryGetValue(key.Source, out var ofSource)) bySource[key.Source] = ofSource = new SortedDictionary<ObjectKey, T>();
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

    private static void Collect(
        ImmutableSortedDictionary<UnionKey, T> before,
        ImmutableSortedDictionary<UnionKey, T> after,
        string source,
        IReadOnlyList<T> upserted,
        IReadOnlyList<ObjectKey> removed,
        List<ItemChange<T>> changes)
    {
        // A key may be both removed and upserted in one change: report it once.
        HashSet<UnionKey>? seen = removed.Count + upserted.Count > 1 ? [] : null;
        foreach (var key in removed) Add(new UnionKey(key, source));
        foreach (var item in upserted) Add(new UnionKey(item.Key(), source));

        void Add(UnionKey key)
        {
            if (seen is not null && !seen.Add(key)) return;
            var had = before.TryGetValue(key, out var was);
            var has = after.TryGetValue(key, out var now);
            if (had != has || (had && !was!.Equals(now))) changes.Add(new ItemChange<T>(key, was, now));
        }
    }

    // Both trees are sorted by key: one merge walk finds every difference.
    private static void Diff(ImmutableSortedDictionary<UnionKey, T> before, ImmutableSortedDictionary<UnionKey, T> after, List<ItemChange<T>> changes)
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
                if (!left.Current.Value.Equals(right.Current.Value)) changes.Add(new ItemChange<T>(left.Current.Key, left.Current.Value, right.Current.Value));
                hasLeft = left.MoveNext();
                hasRight = right.MoveNext();
            }
        }
    }

    private static bool Differs(ImmutableSortedDictionary<UnionKey, T> before, ImmutableSortedDictionary<UnionKey, T> after, UnionKey key)
    {
        var had = before.TryGetValue(key, out var was);
        var has = after.TryGetValue(key, out var now);
        return had != has || (had && !was!.Equals(now));
    }
}

/// <summary>One item's change in the view: <see cref="Old"/> null when it was added, <see cref="New"/> null when removed.</summary>
internal readonly record struct ItemChange<T>(UnionKey Key, T? Old, T? New) where T : class;
