namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>Generated Services and Endpoints of realistic shape.</summary>
internal static class Fixtures
{
    public static Service Service(string name, string ns = "default", int port = 80) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = ValueMap.From([new("app", name)]) },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = "10.96.0.10",
            Ports = [new ServicePort { Name = "http", Port = port, TargetPort = 8080 }],
            Selector = ValueMap.From([new("app", name)]),
        },
    };

    public static Endpoints Endpoints(string name, int addresses, string ns = "default", int seed = 0) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses = ValueList.From(Enumerable.Range(0, addresses).Select(i => new EndpointAddress
                {
                    Ip = $"10.{(seed >> 8) & 255}.{seed & 255}.{i + 1}",
                    NodeName = $"node-{i % 3}",
                })),
                Ports = [new EndpointPort { Name = "http", Port = 8080 }],
            },
        ],
    };

    public static IEnumerable<Service> Services(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Service($"{prefix}{i}"));
}
