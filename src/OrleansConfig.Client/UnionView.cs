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

    /// <summary>Replaces everything; each item's source is its source annotation. True when the content changed (always
    /// for the first).</summary>
    public bool ApplySnapshot(UnionVersion version, IReadOnlyList<T> items)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<UnionKey, T>();
        foreach (var item in items) builder[UnionKey.Of(item)] = item;
        var next = builder.ToImmutable();

        lock (_writeLock)
        {
            var changed = !_hasSnapshot || !SameContent(_items, next);
            _items = next;
            _version = version;
            _hasSnapshot = true;
            if (changed) _generation++;
            return changed;
        }
    }

    /// <summary>Applies one source's change in O(change · log n). True when the content changed.</summary>
    public bool ApplyDelta(UnionVersion version, string source, IReadOnlyList<T> upserted, IReadOnlyList<ObjectKey> removed)
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

            _items = after;
            _version = version;
            if (changed) _generation++;
            return changed;
        }
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

    private static bool Differs(ImmutableSortedDictionary<UnionKey, T> before, ImmutableSortedDictionary<UnionKey, T> after, UnionKey key)
    {
        var had = before.TryGetValue(key, out var was);
        var has = after.TryGetValue(key, out var now);
        return had != has || (had && !was!.Equals(now));
    }
}
