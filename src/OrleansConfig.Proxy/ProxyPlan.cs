namespace OrleansConfig.Proxy;

/// <summary>What the proxy should be doing for one state of the union: its listeners and their backends, and the
/// conflicts it resolved.</summary>
internal sealed record ProxyPlan(IReadOnlyDictionary<ServicePortName, DesiredPort> Ports, IReadOnlyList<ServiceConflict> Conflicts)
{
    public static readonly ProxyPlan Empty = new(new SortedDictionary<ServicePortName, DesiredPort>(), []);
}
