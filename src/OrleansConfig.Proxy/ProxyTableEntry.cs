namespace OrleansConfig.Proxy;

/// <summary>One row of <c>proxy --list</c>: a service port, where it listens (null with <see cref="Error"/> when it
/// could not), and its backends.</summary>
internal sealed record ProxyTableEntry(
    string Namespace,
    string Name,
    string Port,
    string Source,
    string? Listen,
    IReadOnlyList<string> Backends,
    string? Error = null);
