namespace OrleansConfig.Testing;

/// <summary>
/// The YAML the end-to-end tests apply with the CLI. A field appears only when asked for, so each test's
/// manifest holds exactly the fields it did when it wrote its own.
/// </summary>
public static class ManifestText
{
    public static string Service(
        string name, string ns = "default", int port = 80, string? type = null, string? clusterIp = null, int? nodePort = null)
    {
        List<string> lines = ["apiVersion: v1", "kind: Service", "metadata:", $"  name: {name}", $"  namespace: {ns}", "spec:"];
        if (type is not null) lines.Add($"  type: {type}");
        if (clusterIp is not null) lines.Add($"  clusterIP: {clusterIp}");
        lines.AddRange(["  ports:", $"  - port: {port}", "    protocol: TCP"]);
        if (nodePort is not null) lines.Add($"    nodePort: {nodePort}");
        return string.Join("\n", lines);
    }

    /// <summary>One subset: <paramref name="ip"/> (and <paramref name="notReadyIp"/> when given) on port 8080.</summary>
    public static string Endpoints(string name, string ip, string ns = "default", string? notReadyIp = null)
    {
        List<string> lines = ["apiVersion: v1", "kind: Endpoints", "metadata:", $"  name: {name}", $"  namespace: {ns}", "subsets:"];
        lines.AddRange(["- addresses:", $"  - ip: {ip}"]);
        if (notReadyIp is not null) lines.AddRange(["  notReadyAddresses:", $"  - ip: {notReadyIp}"]);
        lines.AddRange(["  ports:", "  - port: 8080"]);
        return string.Join("\n", lines);
    }

    /// <summary>Endpoints with one subset per backend port, all at 127.0.0.1 (the unnamed port, as the Service's).</summary>
    public static string LoopbackEndpoints(string name, string ns, params int[] ports)
    {
        List<string> lines = ["apiVersion: v1", "kind: Endpoints", "metadata:", $"  name: {name}", $"  namespace: {ns}", "subsets:"];
        foreach (var port in ports)
        {
            lines.AddRange(["- addresses:", "  - ip: 127.0.0.1", "  ports:", $"  - port: {port}", "    protocol: TCP"]);
        }
        return string.Join("\n", lines);
    }

    /// <summary>A Service with a cluster IP of its own, and its Endpoints, in one stream.</summary>
    public static string ServiceAndEndpoints(string name, string ns, string ip, int port) =>
        Join(Service(name, ns, port, clusterIp: $"10.96.77.{port % 200 + 1}"), Endpoints(name, ip, ns));

    /// <summary>Several manifests in one YAML stream.</summary>
    public static string Join(params string[] documents) => string.Join("\n---\n", documents);

    /// <summary>Writes <paramref name="text"/> to a fresh temporary file; the caller deletes it.</summary>
    public static string WriteTemp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleans-config-obs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
