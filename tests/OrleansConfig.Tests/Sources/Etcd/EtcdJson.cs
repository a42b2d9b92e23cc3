namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>etcd values as a person or Kubernetes would write them.</summary>
internal static class EtcdJson
{
    public static string Service(string name, string? ns = null, int port = 80) =>
        $$$"""{"kind":"Service","apiVersion":"v1","metadata":{"name":"{{{name}}}"{{{Namespace(ns)}}}},"spec":{"ports":[{"port":{{{port}}},"protocol":"TCP"}]}}""";

    public static string Endpoints(string name, string? ns = null, string ip = "10.0.0.1") =>
        $$$"""{"kind":"Endpoints","metadata":{"name":"{{{name}}}"{{{Namespace(ns)}}}},"subsets":[{"addresses":[{"ip":"{{{ip}}}"}],"ports":[{"port":8080}]}]}""";

    private static string Namespace(string? ns) => ns is null ? "" : $",\"namespace\":\"{ns}\"";
}
