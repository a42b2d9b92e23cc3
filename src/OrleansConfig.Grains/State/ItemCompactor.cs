using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OrleansConfig.State;

/// <summary>
/// Makes the items a silo holds share what equal items hold: namespaces, port names, protocols, node names, label and
/// annotation keys and values, whole ports, port lists and small maps (a source's tag is the same map on every item of
/// that source, shared from its second sighting), and the one empty list or map instead of a fresh one per deserialized
/// field. A million items hold the same few values a million times; equality is by value, so sharing changes nothing a
/// reader can see.
/// The table is bounded: when it fills up it starts again empty (later items share among themselves).
/// </summary>
internal sealed class ItemCompactor(int capacity = 200_000)
{
    /// <summary>One table per process: every source grain of a silo compacts through it.</summary>
    public static ItemCompactor Shared { get; } = new();

    private const int SeenOnceCapacity = 4_096;

    private readonly ConcurrentDictionary<object, object> _pool = new();
    private readonly ConcurrentDictionary<ValueMap, byte> _seenOnce = new();
    private int _count;
    private int _seenOnceCount;

    /// <summary>Values held now (for tests).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>An equal item that shares its parts with the items compacted before it.</summary>
    public T Compact<T>(T item) where T : class, IConfigItem => item switch
    {
        Service service => (T)(IConfigItem)Compact(service),
        Endpoints endpoints => (T)(IConfigItem)Compact(endpoints),
        _ => item,
    };

    public Service Compact(Service service) => service with
    {
        Metadata = Meta(service.Metadata),
        Spec = Spec(service.Spec),
        Status = service.Status is { } status ? Pool(status) : null,
    };

    public Endpoints Compact(Endpoints endpoints) => endpoints with
    {
        Metadata = Meta(endpoints.Metadata),
        Subsets = List(endpoints.Subsets, Subset),
    };

    private ObjectMeta Meta(ObjectMeta meta) => meta with
    {
        Namespace = Text(meta.Namespace),
        Labels = Map(meta.Labels),
        Annotations = Annotations(meta.Annotations),
    };

    private ServiceSpec Spec(ServiceSpec spec) => spec with
    {
        Type = Text(spec.Type),
        ClusterIPs = Empty(spec.ClusterIPs),
        Ports = spec.Ports.Count == 0 ? ValueList<ServicePort>.Empty : Pool(List(spec.Ports, Port)),
        Selector = Map(spec.Selector),
        SessionAffinity = Text(spec.SessionAffinity),
        SessionAffinityConfig = spec.SessionAffinityConfig is { } affinity ? Pool(affinity) : null,
        ExternalIPs = Empty(spec.ExternalIPs),
        ExternalTrafficPolicy = Text(spec.ExternalTrafficPolicy),
        InternalTrafficPolicy = Text(spec.InternalTrafficPolicy),
    };

    private ServicePort Port(ServicePort port) => Pool(port with
    {
        Name = Text(port.Name),
        Protocol = Text(port.Protocol),
        AppProtocol = Text(port.AppProtocol),
        TargetPort = port.TargetPort is { StringValue: { } name } target ? target with { StringValue = Text(name) } : port.TargetPort,
    });

    private EndpointSubset Subset(EndpointSubset subset) => subset with
    {
        Addresses = List(subset.Addresses, Address),
        NotReadyAddresses = List(subset.NotReadyAddresses, Address),
        Ports = subset.Ports.Count == 0 ? ValueList<EndpointPort>.Empty : Pool(List(subset.Ports, Port)),
    };

    private EndpointPort Port(EndpointPort port) => Pool(port with { Name = Text(port.Name), Protocol = Text(port.Protocol) });

    private EndpointAddress Address(EndpointAddress address) => address with
    {
        NodeName = Text(address.NodeName),
        Zone = Text(address.Zone),
        ForZones = address.ForZones.Count == 0 ? ValueList<string>.Empty : Pool(List(address.ForZones, z => Text(z))),
        TargetRef = address.TargetRef is { } target ? target with { Kind = Text(target.Kind), Namespace = Text(target.Namespace) } : null,
    };

    private ValueMap Map(ValueMap map) => map.Count == 0 ? ValueMap.Empty : Pool(map.WithStrings(Text));

    /// <summary>
    /// Annotations are often unique to one write of one item (a write time, a last-applied configuration): pooled at first
    /// sight they only filled the table and kept garbage alive (measured: a sustained churn of stamped writes promoted
    /// tens of MB a second). A map is shared from its second sighting (a source's tag is the same map on every item), so a
    /// map seen once is held only among the last few thousand, and that table starts again when full.
    /// </summary>
    private ValueMap Annotations(ValueMap map)
    {
        if (map.Count == 0) return ValueMap.Empty;
        if (_pool.TryGetValue(map, out var held)) return (ValueMap)held;
        if (_seenOnce.TryRemove(map, out _)) return Pool(map.WithStrings(Text));
        if (Interlocked.Increment(ref _seenOnceCount) > SeenOnceCapacity)
        {
            _seenOnce.Clear();
            Volatile.Write(ref _seenOnceCount, 1);
        }
        _seenOnce.TryAdd(map, 0);
        return map;
    }

    private static ValueList<T> Empty<T>(ValueList<T> list) => list.Count == 0 ? ValueList<T>.Empty : list;

    private static ValueList<T> List<T>(ValueList<T> list, Func<T, T> each)
    {
        if (list.Count == 0) return ValueList<T>.Empty;
        var items = new T[list.Count];
        for (var i = 0; i < items.Length; i++) items[i] = each(list[i]);
        return new ValueList<T>(items);
    }

    [return: NotNullIfNotNull(nameof(value))]
    private string? Text(string? value) => value is null ? null : value.Length == 0 ? "" : Pool(value);

    private T Pool<T>(T value) where T : class
    {
        if (_pool.TryGetValue(value, out var held)) return (T)held;
        if (Volatile.Read(ref _count) >= capacity)
        {
            // Start again rather than grow without bound; what is already shared stays shared.
            _pool.Clear();
            Volatile.Write(ref _count, 0);
        }
        var pooled = _pool.GetOrAdd(value, value);
        if (ReferenceEquals(pooled, value)) Interlocked.Increment(ref _count);
        return (T)pooled;
    }
}
