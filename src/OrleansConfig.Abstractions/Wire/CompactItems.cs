using System.Collections;

namespace OrleansConfig.Wire;

/// <summary>
/// A received page's items, still in their compact form until someone reads them. Orleans deserializes every response
/// of a connection on that connection's one reading thread; decoding there would leave the other cores idle while a
/// million items arrive, so the reader of a paged snapshot decodes pages on the thread pool instead
/// (<see cref="UnionSnapshotReader"/>), and anyone else decodes on first touch.
/// </summary>
internal sealed class CompactItems
{
    private readonly Lock _lock = new();
    private byte[]? _bytes;
    private Service[] _services = [];
    private Endpoints[] _endpoints = [];

    /// <summary>Items <paramref name="bytes"/> holds, in <see cref="ItemWriter"/>'s form, with the counts sent beside them.</summary>
    public CompactItems(byte[] bytes, int services, int endpoints)
    {
        _bytes = bytes;
        Services = services == 0 ? [] : new LazyItemList<Service>(services, () => Decoded().Services);
        Endpoints = endpoints == 0 ? [] : new LazyItemList<Endpoints>(endpoints, () => Decoded().Endpoints);
    }

    /// <summary>The Services; reading any of them decodes the page.</summary>
    public IReadOnlyList<Service> Services { get; }

    /// <summary>The Endpoints; reading any of them decodes the page.</summary>
    public IReadOnlyList<Endpoints> Endpoints { get; }

    /// <summary>Decodes <paramref name="page"/>'s items now, if they are compact items not decoded yet.</summary>
    public static void Decode(UnionSnapshotPage page)
    {
        if (page.Services is LazyItemList<Service> services) _ = services.Items;
        else if (page.Endpoints is LazyItemList<Endpoints> endpoints) _ = endpoints.Items;
    }

    /// <summary>The items of <paramref name="list"/> as an array when it is a page's compact items (for a fast copy).</summary>
    public static IReadOnlyList<T> Materialized<T>(IReadOnlyList<T> list) => list is LazyItemList<T> lazy ? lazy.Items : list;

    private (Service[] Services, Endpoints[] Endpoints) Decoded()
    {
        lock (_lock)
        {
            if (_bytes is { } bytes)
            {
                var (services, endpoints) = ItemReader.Decode(bytes);
                if (services.Length != Services.Count || endpoints.Length != Endpoints.Count)
                {
                    throw new InvalidDataException($"snapshot page: holds {services.Length} services and {endpoints.Length} endpoints, "
                        + $"not the {Services.Count} and {Endpoints.Count} it was sent with");
                }
                (_services, _endpoints, _bytes) = (services, endpoints, null);
            }
            return (_services, _endpoints);
        }
    }

    // A list whose count is known before its items are decoded.
    private sealed class LazyItemList<T>(int count, Func<T[]> items) : IReadOnlyList<T>
    {
        public T[] Items => items();

        public int Count => count;

        public T this[int index] => Items[index];

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
