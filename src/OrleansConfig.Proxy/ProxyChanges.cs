namespace OrleansConfig.Proxy;

/// <summary>
/// How to get from the listeners the proxy has to the ones a plan wants: close the ports no longer wanted (or wanted on
/// another port), open the new ones, and give the rest new backends, affinity or source when those changed.
/// </summary>
internal sealed record ProxyChanges(IReadOnlyList<ServicePortName> Close, IReadOnlyList<DesiredPort> Open,
    IReadOnlyList<DesiredPort> Update)
{
    public bool IsEmpty => Close.Count == 0 && Open.Count == 0 && Update.Count == 0;

    public static ProxyChanges Between(IReadOnlyDictionary<ServicePortName, DesiredPort> current, IReadOnlyDictionary<ServicePortName,
        DesiredPort> desired)
    {
        List<ServicePortName> close = [];
        List<DesiredPort> open = [];
        List<DesiredPort> update = [];
        foreach (var (name, have) in current.OrderBy(p => p.Key))
        {
            if (!desired.TryGetValue(name, out var want) || want.ListenPort != have.ListenPort) close.Add(name);
        }
        foreach (var (name, want) in desired.OrderBy(p => p.Key))
        {
            if (!current.TryGetValue(name, out var have) || want.ListenPort != have.ListenPort) open.Add(want);
            else if (want != have) update.Add(want);
        }
        return new ProxyChanges(close, open, update);
    }
}
