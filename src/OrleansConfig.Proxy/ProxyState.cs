using System.Text.Json.Serialization;

namespace OrleansConfig.Proxy;

/// <summary>What a running proxy reports on its control port: who it is and its table.</summary>
internal sealed record ProxyState(int ProcessId, string Bind, IReadOnlyList<ProxyTableEntry> Ports)
{
    /// <summary>Marks a document as a proxy's, so <c>--list</c> pointed at some other port says so.</summary>
    public string Kind { get; init; } = KindName;

    public const string KindName = "orleans-config-proxy";
}

/// <summary>
/// One row of <c>proxy --list</c>: a service port, where it listens (null with <see cref="Error"/> when it could not), and
/// its backends, which are all terminating (the fallback when none is ready) when <see cref="Terminating"/>.
/// </summary>
internal sealed record ProxyTableEntry(
    string Namespace,
    string Name,
    string Port,
    string Source,
    string? Listen,
    IReadOnlyList<string> Backends,
    string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Terminating = false);
