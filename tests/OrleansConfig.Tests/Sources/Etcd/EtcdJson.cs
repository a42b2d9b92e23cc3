namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>etcd values as a person or Kubernetes would write them.</summary>
internal static class EtcdJson
{
    public static string Service(string name, string? ns = null, int port = 80) =>
        $$$"""{"kind":"Service","apiVersion":"v1","metadata":{"name":"{{{name}}}"{{{Namespace(ns)}}}},"spec":{"ports":[{"port":{{{port}}},"protocol":"TCP"}]}}""";

    public static string Endpoints(string name, string? ns = null, string ip = "10.0.0.1") =>
        $$$"""{"kind":"Endpoints","metadata":{"name":"{{{name}}}"{{{Namespace(ns)}}}},"subsets":[{"addresses":[{"ip":"{{{ip}}}"}],"ports":[{"port":8080}]}]}""";

    public static string Slice(string name, string service, string? ns = null, string ip = "10.0.0.1") =>
        $$$"""{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"{{{name}}}"{{{Namespace(ns)}}},"labels":{"kubernetes.io/service-name":"{{{service}}}"}},"addressType":"IPv4","endpoints":[{"addresses":["{{{ip}}}"],"conditions":{"ready":true}}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}""";

    private static string Namespace(string? ns) => ns is null ? "" : $",\"namespace\":\"{ns}\"";
}
