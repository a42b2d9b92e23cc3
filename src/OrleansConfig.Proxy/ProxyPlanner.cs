using System.Net;

namespace OrleansConfig.Proxy;

/// <summary>
/// Turns the union into a <see cref="ProxyPlan"/>, Kubernetes' way: every TCP port of every Service (in
/// <c>namespace</c>, when set) is proxied to the ready addresses of the same-named Endpoints, at the endpoint port whose
/// name is the service port's (the unnamed port matches the unnamed one). A Service several sources publish is taken
/// from one of them (<see cref="SourcePriority"/>) and its Endpoints from that same source. Like kube-proxy, it skips
/// Services with no virtual IP to stand for: <c>ExternalName</c> and headless (<c>clusterIP: None</c>) ones.
/// </summary>
internal sealed class ProxyPlanner(string? @namespace = null, SourcePriority? priority = null)
{
    private readonly SourcePriority _priority = priority ?? SourcePriority.Alphabetical;

    public ProxyPlan Plan(IReadOnlyList<Service> services, IReadOnlyList<Endpoints> endpoints)
    {
        var endpointsBySource = new Dictionary<(ObjectKey, string), Endpoints>();
        foreach (var item in endpoints)
        {
            if (InScope(item)) endpointsBySource[(item.Key(), item.Source())] = item;
        }

        var ports = new SortedDictionary<ServicePortName, DesiredPort>();
        List<ServiceConflict> conflicts = [];
        foreach (var group in services.Where(InScope).GroupBy(s => s.Key()).OrderBy(g => g.Key))
        {
            var ranked = group.OrderBy(s => s.Source(), _priority).ToList();
            var chosen = ranked[0];
            if (ranked.Count > 1)
            {
                conflicts.Add(new ServiceConflict(group.Key, chosen.Source(), ValueList.From(ranked.Select(s => s.Source()))));
            }
            if (!IsProxied(chosen.Spec)) continue;

            endpointsBySource.TryGetValue((group.Key, chosen.Source()), out var backends);
            var affinity = SessionAffinity.Of(chosen.Spec);
            foreach (var port in chosen.Spec.Ports)
            {
                if (!IsTcp(port.Protocol)) continue;
                var name = new ServicePortName(group.Key, port.Name ?? "");
                ports[name] = new DesiredPort(name, chosen.Source(), port.NodePort ?? 0, Backends(backends, name.Port), affinity);
            }
        }
        return new ProxyPlan(ports, conflicts);
    }

    private bool InScope(IConfigItem item) =>
        @namespace is null || string.Equals(item.Metadata.Namespace, @namespace, StringComparison.Ordinal);

    private static bool IsProxied(ServiceSpec spec) =>
        !string.Equals(spec.Type, "ExternalName", StringComparison.Ordinal)
        && !string.Equals(spec.ClusterIP, "None", StringComparison.Ordinal);

    private static bool IsTcp(string? protocol) => protocol is null || string.Equals(protocol, "TCP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each subset's ready addresses at its port named <paramref name="portName"/>, in rotation order.</summary>
    private static ValueList<IPEndPoint> Backends(Endpoints? endpoints, string portName)
    {
        if (endpoints is null) return ValueList<IPEndPoint>.Empty;
        HashSet<IPEndPoint> found = [];
        foreach (var subset in endpoints.Subsets)
        {
            var port =
                subset.Ports.FirstOrDefault(p => string.Equals(p.Name ?? "", portName, StringComparison.Ordinal) && IsTcp(p.Protocol));
            if (port is null) continue;
            foreach (var address in subset.Addresses)
            {
                if (IPAddress.TryParse(address.Ip, out var ip)) found.Add(new IPEndPoint(ip, port.Port));
            }
        }
        return ValueList.From(found.Order(EndPointOrder.Instance));
    }
}

/// <summary>What the proxy should be doing for one state of the union: its listeners and their backends, and the conflicts it resolved.</summary>
internal sealed record ProxyPlan(IReadOnlyDictionary<ServicePortName, DesiredPort> Ports, IReadOnlyList<ServiceConflict> Conflicts)
{
    public static readonly ProxyPlan Empty = new(new SortedDictionary<ServicePortName, DesiredPort>(), []);
}

/// <summary>
/// What the union asks for one TCP service port: listen on <see cref="ListenPort"/> (its <c>nodePort</c>, or 0 for an
/// ephemeral port) and send connections to <see cref="Backends"/> (rotation order) with <see cref="Affinity"/>.
/// </summary>
internal sealed record DesiredPort(ServicePortName Name, string Source, int ListenPort, ValueList<IPEndPoint> Backends, SessionAffinity Affinity);

/// <summary>A Service that several sources publish: the proxy uses <see cref="Chosen"/>'s; <see cref="Sources"/> in priority order.</summary>
internal sealed record ServiceConflict(ObjectKey Service, string Chosen, ValueList<string> Sources)
{
    public override string ToString() => $"{Service} from {string.Join(", ", Sources)}: using {Chosen}";
}
