namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>Keys and JSON values in the etcd layout, as another program would write them.</summary>
internal sealed class EtcdValues(string prefix)
{
    public string ServiceKey(string ns, string name) => $"{prefix}/specs/{ns}/{name}";

    public string EndpointsKey(string ns, string name) => $"{prefix}/endpoints/{ns}/{name}";

    public static string Service(string name, string ns, int port = 80) =>
        $$$"""{"kind":"Service","apiVersion":"v1","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"ports":[{"port":{{{port}}},"protocol":"TCP"}]}}""";

    public static string Endpoints(string name, string ns, string ip = "10.0.0.1") =>
        $$$"""{"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"subsets":[{"addresses":[{"ip":"{{{ip}}}"}],"ports":[{"port":8080,"protocol":"TCP"}]}]}""";
}
