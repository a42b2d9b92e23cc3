using System.Net;
using OrleansConfig.Client;

namespace OrleansConfig.Proxy;

/// <summary>
/// Turns catalog entries into the listeners the proxy wants, Kubernetes' way: every TCP port of every Service (in
/// <c>namespace</c>, when set) is proxied to the entry's addresses of that port: the ready ones, else the serving-and-terminating
/// ones (the catalog resolves the endpoint port of the same name, from the winning source's Endpoints only, by
/// <see cref="EndpointSelection"/>'s rule). Like kube-proxy, it skips Services with no
/// virtual IP to stand for: <c>ExternalName</c> and headless (<c>clusterIP: None</c>) ones. Which source wins is the
/// catalog's rule (<see cref="CatalogState"/>), not this class's.
/// </summary>
internal sealed class ProxyPlanner(string? @namespace = null, SourcePriority? priority = null)
{
    private readonly SourcePriority _priority = priority ?? SourcePriority.Alphabetical;

    /// <summary>A whole union at once: resolved with the catalog's rule, then planned entry by entry.</summary>
    public ProxyPlan Plan(IReadOnlyList<Service> services, IReadOnlyList<Endpoints> endpoints)
    {
        var catalog = new CatalogState(_priority);
        catalog.ApplySnapshot(default, services.Where(s => InScope(s.Key())), endpoints.Where(e => InScope(e.Key())));
        var ports = new SortedDictionary<ServicePortName, DesiredPort>();
        List<ServiceConflict> conflicts = [];
        foreach (var entry in catalog.Entries.Values)
        {
            if (entry.HasConflict) conflicts.Add(ConflictOf(entry));
            foreach (var port in PortsOf(entry)) ports[port.Name] = port;
        }
        return new ProxyPlan(ports, conflicts);
    }

    public bool InScope(ObjectKey key) => @namespace is null || string.Equals(key.Namespace, @namespace, StringComparison.Ordinal);

    /// <summary>The listeners one entry asks for (none when it is out of scope or not proxied).</summary>
    public IEnumerable<DesiredPort> PortsOf(CatalogEntry entry)
    {
        if (!InScope(entry.Key) || !IsProxied(entry.Service.Spec)) yield break;
        var affinity = SessionAffinity.Of(entry.Service.Spec);
        foreach (var port in entry.Service.Spec.Ports)
        {
            if (!IsTcp(port.Protocol)) continue;
            var name = new ServicePortName(entry.Key, port.Name ?? "");
            entry.Ports.TryGetValue(name.Port, out var addresses);
            yield return new DesiredPort(name, entry.Source, port.NodePort ?? 0, Backends(addresses), affinity,
                entry.TerminatingPorts.Contains(name.Port));
        }
    }

    public static ServiceConflict ConflictOf(CatalogEntry entry) =>
        new(entry.Key, entry.Source, ValueList.From([entry.Source, .. entry.OtherSources]));

    private static bool IsProxied(ServiceSpec spec) =>
        !string.Equals(spec.Type, "ExternalName", StringComparison.Ordinal)
        && !string.Equals(spec.ClusterIP, "None", StringComparison.Ordinal);

    private static bool IsTcp(string? protocol) => protocol is null || string.Equals(protocol, "TCP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The catalog's addresses as endpoints, in rotation order (the catalog already gives them in that order).</summary>
    private static ValueList<IPEndPoint> Backends(IReadOnlyList<string>? addresses)
    {
        if (addresses is null || addresses.Count == 0) return ValueList<IPEndPoint>.Empty;
        List<IPEndPoint> found = new(addresses.Count);
        foreach (var address in addresses)
        {
            if (IPEndPoint.TryParse(address, out var at)) found.Add(at);
        }
        return ValueList.From(found);
    }
}

/// <summary>
/// What the proxy should be doing for one whole union: its listeners and their backends, and the conflicts the
/// catalog's rule resolved.
/// </summary>
internal sealed record ProxyPlan(IReadOnlyDictionary<ServicePortName, DesiredPort> Ports, IReadOnlyList<ServiceConflict> Conflicts);

/// <summary>
/// What the union asks for one TCP service port: listen on <see cref="ListenPort"/> (its <c>nodePort</c>, or 0 for an
/// ephemeral port) and send connections to <see cref="Backends"/> (rotation order) with <see cref="Affinity"/>;
/// <see cref="Terminating"/> when those are the serving-and-terminating fallback (no address is ready).
/// </summary>
internal sealed record DesiredPort(
    ServicePortName Name, string Source, int ListenPort, ValueList<IPEndPoint> Backends, SessionAffinity Affinity,
    bool Terminating = false);

/// <summary>
/// A Service that several sources publish (a catalog entry with other sources): the proxy uses <see cref="Chosen"/>'s;
/// <see cref="Sources"/> in priority order.
/// </summary>
internal sealed record ServiceConflict(ObjectKey Service, string Chosen, ValueList<string> Sources)
{
    public override string ToString() => $"{Service} from {string.Join(", ", Sources)}: using {Chosen}";
}
