using System.Net;
using OrleansConfig.Proxy;

namespace OrleansConfig.Tests.Proxy;

/// <summary>Builders for the Services, Endpoints and backends the proxy tests use.</summary>
internal static class ProxyItems
{
    public static ObjectKey Key(string ns, string name) => new(ns, name);

    public static ServicePortName Port(string ns, string name, string port = "") => new(Key(ns, name), port);

    public static IPEndPoint At(string ip, int port) => new(IPAddress.Parse(ip), port);

    public static ServicePort Tcp(int port, string? name = null, int? nodePort = null) =>
        new() { Name = name, Port = port, Protocol = "TCP", NodePort = nodePort };

    public static Service Service(string ns, string name, string source, params ServicePort[] ports) =>
        new Service
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Spec = new ServiceSpec { Ports = ValueList.From(ports.Length == 0 ? [Tcp(80)] : ports) },
        }.WithSource(source);

    public static Service WithSpec(this Service service, Func<ServiceSpec, ServiceSpec> change) =>
        service with { Spec = change(service.Spec) };

    public static EndpointSubset Subset(string[] ips, params EndpointPort[] ports) => new()
    {
        Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })),
        Ports = ValueList.From(ports),
    };

    public static EndpointPort EndpointPort(int port, string? name = null, string protocol = "TCP") =>
        new() { Name = name, Port = port, Protocol = protocol };

    public static Endpoints Endpoints(string ns, string name, string source, params EndpointSubset[] subsets) =>
        new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Subsets = ValueList.From(subsets),
        }.WithSource(source);

    /// <summary>One subset per backend, all on loopback at their own ports, with an unnamed port.</summary>
    public static Endpoints LoopbackEndpoints(string ns, string name, string source, params int[] ports) =>
        Endpoints(ns, name, source, [.. ports.Select(p => Subset(["127.0.0.1"], EndpointPort(p)))]);

    public static DesiredPort Desired(ServicePortName name, int listenPort = 0, string source = "s", params IPEndPoint[] backends) =>
        new(name, source, listenPort, ValueList.From(backends), SessionAffinity.None);
}
