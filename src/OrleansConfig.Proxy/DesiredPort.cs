using System.Net;

namespace OrleansConfig.Proxy;

/// <summary>
/// What the union asks for one TCP service port: listen on <see cref="ListenPort"/> (its <c>nodePort</c>, or 0 for an
/// ephemeral port) and send connections to <see cref="Backends"/> (rotation order) with <see cref="Affinity"/>.
/// </summary>
internal sealed record DesiredPort(ServicePortName Name, string Source, int ListenPort, ValueList<IPEndPoint> Backends,
    SessionAffinity Affinity);
