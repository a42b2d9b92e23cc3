namespace OrleansConfig.Tests.Sources.Api;

internal static class ApiItems
{
    public static Service Service(string name, string ns = "default", int port = 80) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port }] },
    };

    public static Endpoints Endpoints(string name, string ns = "default", string ip = "10.0.0.1") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Subsets = [new EndpointSubset { Addresses = [new EndpointAddress { Ip = ip }], Ports = [new EndpointPort { Port = 8080 }] }],
    };
}
