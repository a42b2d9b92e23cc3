namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>Small builders so tests read like the original package's test cases.</summary>
public static class Items
{
    public static Service Service(string name, int port = 80, string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port, Protocol = "TCP" }] },
    };

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

    /// <summary>"namespace/name@source", the way tests compare union contents.</summary>
    public static string Describe(IConfigItem item) => $"{item.Key()}@{item.Source()}";
}
