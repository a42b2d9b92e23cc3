namespace OrleansConfig.Proxy;

/// <summary>What a running proxy reports on its control port: who it is and its table.</summary>
internal sealed record ProxyState(int ProcessId, string Bind, IReadOnlyList<ProxyTableEntry> Ports)
{
    /// <summary>Marks a document as a proxy's, so <c>--list</c> pointed at some other port says so.</summary>
    public string Kind { get; init; } = KindName;

    public const string KindName = "orleans-config-proxy";
}
