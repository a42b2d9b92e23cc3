namespace OrleansConfig.IntegrationTests.Proxy;

/// <summary>The YAML the proxy's end-to-end tests apply with the CLI.</summary>
internal static class ProxyManifests
{
    public static string Service(string ns, string name, int? nodePort = null, string? affinity = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          type: {(nodePort is null ? "ClusterIP" : "NodePort")}
          {(affinity is null ? "" : $"sessionAffinity: {affinity}")}
          ports:
          - port: 80
            protocol: TCP
            {(nodePort is null ? "" : $"nodePort: {nodePort}")}
        """;

    /// <summary>Endpoints with one subset per backend port, all at 127.0.0.1 (the unnamed port, as the Service's).</summary>
    public static string Endpoints(string ns, string name, params int[] ports) =>
        $"""
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: {name}
          namespace: {ns}
        subsets:

        """ + string.Concat(ports.Select(port => $"""
        - addresses:
          - ip: 127.0.0.1
          ports:
          - port: {port}
            protocol: TCP

        """));
}
