namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>Small manifests the observability tests apply with the CLI.</summary>
internal static class Manifests
{
    public static string ServiceAndEndpoints(string name, string ns, string ip, int port) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          clusterIP: 10.96.77.{port % 200 + 1}
          ports:
          - port: {port}
            protocol: TCP
        ---
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: {name}
          namespace: {ns}
        subsets:
        - addresses:
          - ip: {ip}
          ports:
          - port: 8080
        """;

    /// <summary>Writes <paramref name="text"/> to a fresh temporary file; the caller deletes it.</summary>
    public static string WriteTemp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleans-config-obs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
