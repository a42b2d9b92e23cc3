using System.Globalization;
using OrleansConfig.IntegrationTests.EndToEnd;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>The repository's docker-compose.yml, read with YamlDotNet (anchors and merge keys resolved).</summary>
internal sealed class ComposeFile
{
    private ComposeFile(string path, IReadOnlyDictionary<string, ComposeService> services)
    {
        Path = path;
        Services = services;
    }

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public static ComposeFile Load()
    {
        var path = System.IO.Path.Combine(BuiltApps.RepoRoot, "docker-compose.yml");
        using var reader = new StringReader(File.ReadAllText(path));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(new MergingParser(new Parser(reader)))
            ?? throw new InvalidOperationException($"{path} is empty");
        var services = Map(root, "services") ?? throw new InvalidOperationException($"{path} has no services");
        return new ComposeFile(path, services.ToDictionary(kv => (string)kv.Key, kv => ComposeService.From((string)kv.Key, (Dictionary<object, object?>)kv.Value!)));
    }

    internal static Dictionary<object, object?>? Map(Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) ? value as Dictionary<object, object?> : null;

    internal static List<string> Strings(object? value) => value switch
    {
        null => [],
        string text => [text],
        List<object?> list => [.. list.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")],
        Dictionary<object, object?> map => [.. map.Keys.Select(k => (string)k)],
        _ => throw new InvalidOperationException($"unexpected YAML value {value}"),
    };
}

/// <summary>One service of the compose file: what the tests check.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    string? BuildContext,
    string? Dockerfile,
    string? Hostname,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<(int Host, int Container)> Ports,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> DependsOn)
{
    public static ComposeService From(string name, Dictionary<object, object?> service)
    {
        var build = ComposeFile.Map(service, "build");
        var environment = service.GetValueOrDefault("environment") switch
        {
            null => new Dictionary<string, string>(),
            Dictionary<object, object?> map => map.ToDictionary(kv => (string)kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""),
            List<object?> list => list.Cast<string>().Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            var other => throw new InvalidOperationException($"{name}: environment is {other}"),
        };
        var ports = ComposeFile.Strings(service.GetValueOrDefault("ports")).Select(p =>
        {
            var parts = p.Split(':');
            if (parts.Length != 2) throw new InvalidOperationException($"{name}: port \"{p}\" is not HOST:CONTAINER");
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }).ToList();
        return new ComposeService(
            name,
            service.GetValueOrDefault("image") as string,
            build?.GetValueOrDefault("context") as string,
            build?.GetValueOrDefault("dockerfile") as string,
            service.GetValueOrDefault("hostname") as string,
            environment,
            ports,
            ComposeFile.Strings(service.GetValueOrDefault("command")),
            ComposeFile.Strings(service.GetValueOrDefault("depends_on")));
    }

    /// <summary>The environment as .NET configuration keys (<c>A__B</c> is <c>A:B</c>).</summary>
    public IReadOnlyDictionary<string, string> Configuration =>
        Environment.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value, StringComparer.OrdinalIgnoreCase);
}
