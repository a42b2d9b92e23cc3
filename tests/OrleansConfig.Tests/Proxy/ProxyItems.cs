using System.Net;
using OrleansConfig.Proxy;

namespace OrleansConfig.Tests.Proxy;

/// <summary>Builders for the proxy's own types; the Services and Endpoints come from <see cref="Items"/>.</summary>
internal static class ProxyItems
{
    public static ObjectKey Key(string ns, string name) => new(ns, name);

    public static ServicePortName Port(string ns, string name, string port = "") => new(Key(ns, name), port);

    public static IPEndPoint At(string ip, int port) => new(IPAddress.Parse(ip), port);

    public static DesiredPort Desired(ServicePortName name, int listenPort = 0, string source = "s", params IPEndPoint[] backends) =>
        new(name, source, listenPort, ValueList.From(backends), SessionAffinity.None);
}
