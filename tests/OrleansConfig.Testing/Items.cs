namespace OrleansConfig.Testing;

/// <summary>
/// The builders of Services and Endpoints every test project uses, so tests read like the original package's
/// test cases. Name-first builders make an item as a source reads it; namespace-first ones make an item as the
/// union holds it, tagged with its source.
/// </summary>
public static class Items
{
    public static Service Service(string name, int port = 80, string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port, Protocol = "TCP" }] },
    };

    /// <summary>One subset of <paramref name="ips"/> on port 8080; none without addresses.</summary>
    public static Endpoints Endpoints(string name, string ns = "default", params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Subsets = ips.Length == 0
            ? []
            : [new EndpointSubset
            {
                Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })),
                Ports = [new EndpointPort { Port = 8080, Protocol = "TCP" }],
            }],
    };

    /// <summary>Endpoints in namespace default holding only <paramref name="ips"/>: no ports.</summary>
    public static Endpoints Addresses(string name, params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Subsets = [new EndpointSubset { Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })) }],
    };

    /// <summary>A Service in namespace default with port <c>http</c> 80, whose label "rev" makes two versions differ.</summary>
    public static Service HttpService(string name, string rev = "1") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = ValueMap.From([new("rev", rev)]) },
        Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
    };

    /// <summary>Endpoints in namespace default: one subset of <paramref name="ips"/> on port <c>http</c> 8080.</summary>
    public static Endpoints HttpEndpoints(string name, params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Subsets = [Subset(ips, EndpointPort(8080, "http"))],
    };

    /// <summary>The Service with annotation <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static Service Annotated(this Service service, string key, string value) =>
        service with { Metadata = service.Metadata with { Annotations = ValueMap.From([new(key, value)]) } };

    public static ServicePort ServicePort(int port, string? name = null, string protocol = "TCP") =>
        new() { Name = name, Port = port, Protocol = protocol };

    public static ServicePort Tcp(int port, string? name = null, int? nodePort = null) =>
        new() { Name = name, Port = port, Protocol = "TCP", NodePort = nodePort };

    public static EndpointPort EndpointPort(int port, string? name = null, string protocol = "TCP") =>
        new() { Name = name, Port = port, Protocol = protocol };

    public static EndpointSubset Subset(string[] ips, params EndpointPort[] ports) => new()
    {
        Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })),
        Ports = ValueList.From(ports),
    };

    /// <summary>A subset of ready <paramref name="ips"/> and <paramref name="notReady"/> addresses on <paramref name="ports"/>.</summary>
    public static EndpointSubset Subset(string[] ips, string[] notReady, params EndpointPort[] ports) =>
        Subset(ips, ports) with { NotReadyAddresses = ValueList.From(notReady.Select(ip => new EndpointAddress { Ip = ip })) };

    /// <summary>
    /// A not-ready address that is terminating (an EndpointSlice endpoint with <c>ready: false, terminating: true</c>),
    /// still serving unless <paramref name="serving"/> is false; it goes in <see cref="EndpointSubset.NotReadyAddresses"/>.
    /// </summary>
    public static EndpointAddress TerminatingAddress(string ip, bool serving = true) =>
        new() { Ip = ip, Serving = serving, Terminating = true };

    /// <summary>A subset of ready <paramref name="ips"/> and the not-ready <paramref name="notReady"/> addresses on <paramref name="ports"/>.</summary>
    public static EndpointSubset SubsetWithNotReady(string[] ips, EndpointAddress[] notReady, params EndpointPort[] ports) =>
        Subset(ips, ports) with { NotReadyAddresses = ValueList.From(notReady) };

    /// <summary>A Service from <paramref name="source"/> with <paramref name="ports"/>, TCP 80 when none.</summary>
    public static Service Sourced(string ns, string name, string source, params ServicePort[] ports) =>
        new Service
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Spec = new ServiceSpec { Ports = ValueList.From(ports.Length == 0 ? [Tcp(80)] : ports) },
        }.WithSource(source);

    public static Endpoints SourcedEndpoints(string ns, string name, string source, params EndpointSubset[] subsets) =>
        new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Subsets = ValueList.From(subsets),
        }.WithSource(source);

    /// <summary>One subset per backend, all on loopback at their own ports, with an unnamed port.</summary>
    public static Endpoints LoopbackEndpoints(string ns, string name, string source, params int[] ports) =>
        SourcedEndpoints(ns, name, source, [.. ports.Select(p => Subset(["127.0.0.1"], EndpointPort(p)))]);

    public static Service WithSpec(this Service service, Func<ServiceSpec, ServiceSpec> change) =>
        service with { Spec = change(service.Spec) };

    /// <summary>A Service whose label "rev" makes two versions of one item differ.</summary>
    public static Service Versioned(string ns, string name, string source = "", string rev = "1") =>
        new Service
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = ValueMap.From([new("rev", rev)]) },
            Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] },
        }.WithSource(source);

    /// <summary>Endpoints whose label "rev" makes two versions of one item differ.</summary>
    public static Endpoints VersionedEndpoints(string ns, string name, string source = "", string rev = "1") =>
        new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = ValueMap.From([new("rev", rev)]) },
        }.WithSource(source);

    public static string Rev(this IConfigItem item) => item.Metadata.Labels["rev"];

    public static UnionVersion V(Guid epoch, long version) => new(epoch, version);

    /// <summary>"namespace/name@source", the way tests compare union contents.</summary>
    public static string Describe(IConfigItem item) => $"{item.Key()}@{item.Source()}";

    /// <summary>"namespace/name@source" for each item, in order: what ordering tests compare.</summary>
    public static string[] Describe<T>(this IEnumerable<T> items) where T : IConfigItem => [.. items.Select(i => Describe(i))];

    /// <summary>"namespace/name@source" for each item, sorted: what tests compare when order does not matter.</summary>
    public static string[] DescribeSorted<T>(IEnumerable<T> items) where T : IConfigItem =>
        [.. items.Select(i => Describe(i)).Order(StringComparer.Ordinal)];
}
