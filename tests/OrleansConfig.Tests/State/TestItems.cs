namespace OrleansConfig.Tests.State;

internal static class TestItems
{
    public static Service Svc(string name, int port = 80, string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port }] },
    };

    public static Endpoints Eps(string name, params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Subsets = [new EndpointSubset { Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })) }],
    };

    public static string[] Names<T>(IEnumerable<T> items) where T : IConfigItem =>
        [.. items.Select(i => $"{i.Key()}@{i.Source()}").Order(StringComparer.Ordinal)];
}
