using System.Collections.Frozen;
using System.Collections.Immutable;

namespace OrleansConfig.Client;

/// <summary>
/// The catalog's rule, as a plain class: both unions by key, and per <c>namespace/name</c> the entry of the winning
/// source (<see cref="SourcePriority"/>) with that source's Endpoints and the addresses to route to per port
/// (<see cref="EndpointSelection"/>). A delta
/// recomputes only the keys it touches. One writer at a time; readers take <see cref="Entries"/>, an immutable map.
/// </summary>
internal sealed class CatalogState(SourcePriority priority)
{
    private static readonly IReadOnlyList<string> NoAddresses = ValueList<string>.Empty;
    private static readonly IReadOnlySet<string> NoPorts = FrozenSet<string>.Empty;

    private readonly Dictionary<ObjectKey, Published> _published = [];

    // The conflicts already reported, as the full source list in priority order: news only when it differs.
    private readonly Dictionary<ObjectKey, ValueList<string>> _reported = [];

    public SourcePriority Priority { get; } = priority;

    /// <summary>Every entry, by key; replaced (never mutated) on each change.</summary>
    public ImmutableSortedDictionary<ObjectKey, CatalogEntry> Entries { get; private set; } =
        ImmutableSortedDictionary<ObjectKey, CatalogEntry>.Empty;

    public UnionVersion Version { get; private set; }

    /// <summary>Replaces both unions (each item's source is its source annotation); O(union), as a snapshot is.</summary>
    public CatalogUpdate ApplySnapshot(UnionVersion version, IEnumerable<Service> services, IEnumerable<Endpoints> endpoints)
    {
        HashSet<ObjectKey> touched = [.. _published.Keys];
        _published.Clear();
        foreach (var service in services)
        {
            var key = service.Key();
            touched.Add(key);
            PublishedAt(key).Services[service.Source()] = service;
        }
        foreach (var item in endpoints)
        {
            var key = item.Key();
            touched.Add(key);
            PublishedAt(key).Endpoints[item.Source()] = item;
        }
        return Recompute(version, touched);
    }

    /// <summary>Applies one source's change (removals first, as the union does), recomputing only the keys it names.</summary>
    public CatalogUpdate ApplyDelta(
        UnionVersion version,
        string source,
        IReadOnlyList<Service> upsertedServices,
        IReadOnlyList<ObjectKey> removedServices,
        IReadOnlyList<Endpoints> upsertedEndpoints,
        IReadOnlyList<ObjectKey> removedEndpoints)
    {
        HashSet<ObjectKey> touched = [];
        foreach (var key in removedServices)
        {
            if (_published.TryGetValue(key, out var published) && published.Services.Remove(source)) touched.Add(key);
        }
        foreach (var key in removedEndpoints)
        {
            if (_published.TryGetValue(key, out var published) && published.Endpoints.Remove(source)) touched.Add(key);
        }
        foreach (var service in upsertedServices)
        {
            var key = service.Key();
            touched.Add(key);
            PublishedAt(key).Services[source] = service.WithSource(source);
        }
        foreach (var item in upsertedEndpoints)
        {
            var key = item.Key();
            touched.Add(key);
            PublishedAt(key).Endpoints[source] = item.WithSource(source);
        }
        return Recompute(version, touched);
    }

    public bool TryGet(ObjectKey key, out CatalogEntry entry) => Entries.TryGetValue(key, out entry!);

    /// <summary>
    /// A service port's addresses to route to: <paramref name="portName"/> null or empty takes the unnamed port, else the
    /// Service's first port (its spec order); a name the Service does not have resolves to nothing.
    /// </summary>
    public static IReadOnlyList<string> Resolve(CatalogEntry entry, string? portName)
    {
        if (string.IsNullOrEmpty(portName))
        {
            if (entry.Ports.TryGetValue("", out var unnamed)) return unnamed;
            if (entry.Service.Spec.Ports.Count == 0) return NoAddresses;
            portName = entry.Service.Spec.Ports[0].Name ?? "";
        }
        return entry.Ports.TryGetValue(portName, out var addresses) ? addresses : NoAddresses;
    }

    /// <summary>
    /// Each port of <paramref name="service"/> → the addresses of <paramref name="endpoints"/> at the endpoint port of the
    /// same name and protocol, by <see cref="EndpointSelection"/>'s rule (ready; else serving and terminating).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolvePorts(Service service, Endpoints? endpoints) =>
        ResolvePorts(service, endpoints, out _);

    /// <inheritdoc cref="ResolvePorts(Service, Endpoints?)"/>
    /// <param name="service">The Service whose ports are resolved.</param>
    /// <param name="endpoints">Its Endpoints, if any.</param>
    /// <param name="terminatingPorts">The port names whose addresses are the serving-and-terminating fallback.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolvePorts(
        Service service, Endpoints? endpoints, out IReadOnlySet<string> terminatingPorts)
    {
        var ports = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        HashSet<string>? terminating = null;
        foreach (var port in service.Spec.Ports)
        {
            var name = port.Name ?? "";
            var selection = endpoints is null ? EndpointSelection.None : EndpointSelection.Of(endpoints, name, port.Protocol);
            ports[name] = selection.Addresses;
            if (selection.Terminating) (terminating ??= new(StringComparer.Ordinal)).Add(name);
        }
        terminatingPorts = terminating ?? NoPorts;
        return ports;
    }

    private Published PublishedAt(ObjectKey key)
    {
        if (!_published.TryGetValue(key, out var published)) _published[key] = published = new Published();
        return published;
    }

    private CatalogUpdate Recompute(UnionVersion version, HashSet<ObjectKey> touched)
    {
        Version = version;
        List<ObjectKey> changed = [];
        List<CatalogEntry> conflicts = [];
        var builder = touched.Count > 8 ? Entries.ToBuilder() : null;
        var entries = Entries;
        foreach (var key in touched.Order())
        {
            var entry = Resolve(key);
            entries.TryGetValue(key, out var before);
            if (!Equals(before, entry))
            {
                changed.Add(key);
                if (builder is not null)
                {
                    if (entry is null) builder.Remove(key);
                    else builder[key] = entry;
                }
                else
                {
                    entries = entry is null ? entries.Remove(key) : entries.SetItem(key, entry);
                }
            }
            if (Report(key, entry)) conflicts.Add(entry!);
        }
        Entries = builder?.ToImmutable() ?? entries;
        return new CatalogUpdate(changed, conflicts);
    }

    private CatalogEntry? Resolve(ObjectKey key)
    {
        if (!_published.TryGetValue(key, out var published)) return null;
        if (published.Services.Count == 0)
        {
            if (published.Endpoints.Count == 0) _published.Remove(key);
            return null;
        }

        var ranked = published.Services.Keys.Order(Priority).ToArray();
        var service = published.Services[ranked[0]];
        published.Endpoints.TryGetValue(ranked[0], out var endpoints);
        return new CatalogEntry
        {
            Key = key,
            Source = ranked[0],
            Service = service,
            Endpoints = endpoints,
            Ports = ResolvePorts(service, endpoints, out var terminatingPorts),
            TerminatingPorts = terminatingPorts,
            OtherSources = ranked.Length == 1 ? ValueList<string>.Empty : ValueList.From(ranked[1..]),
        };
    }

    /// <summary>True when <paramref name="entry"/>'s conflict is news: new, or another set of sources than last reported.</summary>
    private bool Report(ObjectKey key, CatalogEntry? entry)
    {
        if (entry is not { HasConflict: true })
        {
            _reported.Remove(key);
            return false;
        }
        var sources = ValueList.From([entry.Source, .. entry.OtherSources]);
        if (_reported.TryGetValue(key, out var known) && known == sources) return false;
        _reported[key] = sources;
        return true;
    }

    private sealed class Published
    {
        public Dictionary<string, Service> Services { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Endpoints> Endpoints { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What one change did to the catalog: the keys whose entry changed (ordered), and the conflicts that are news.</summary>
internal sealed record CatalogUpdate(IReadOnlyList<ObjectKey> Changed, IReadOnlyList<CatalogEntry> NewConflicts);
