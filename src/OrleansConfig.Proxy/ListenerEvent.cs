using System.Net;

namespace OrleansConfig.Proxy;

/// <summary>A listener opened (at <see cref="Listen"/>), closed, or could not be opened (<see cref="Error"/>).</summary>
internal sealed record ListenerEvent(ListenerEventKind Kind, ServicePortName Name, string Source, IPEndPoint? Listen, string? Error = null)
{
    public override string ToString() => Kind switch
    {
        ListenerEventKind.Opened => $"opened {Listen} -> {Name} (source {Source})",
        ListenerEventKind.Closed => $"closed {Listen} -> {Name}",
        _ => $"failed to listen for {Name} (source {Source}): {Error}",
    };
}
