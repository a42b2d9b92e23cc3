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
        return new ComposeFile(path,
            services.ToDictionary(kv => (string)kv.Key, kv => ComposeService.From((string)kv.Key, (Dictionary<object, object?>)kv.Value!)));
    }

    /// <summary>
    /// A value as compose runs it when no variable is set: <c>${NAME:-default}</c> becomes its default (a
    /// <c>${NAME}</c> without one is refused, so a value the file cannot run without is caught here).
    /// </summary>
    public static string Interpolate(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\{(\w+)(:-([^}]*))?\}", m =>
            m.Groups[2].Success ? m.Groups[3].Value
                : throw new InvalidOperationException($"${{{m.Groups[1].Value}}} has no default in \"{value}\""));

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
    IReadOnlyList<ComposePort> Ports,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<ComposeMount> Mounts,
    IReadOnlyList<string> Healthcheck,
    string? User)
{
    public static ComposeService From(string name, Dictionary<object, object?> service)
    {
        var build = ComposeFile.Map(service, "build");
        var environment = service.GetValueOrDefault("environment") switch
        {
            null => new Dictionary<string, string>(),
            Dictionary<object, object?> map =>
                map.ToDictionary(kv => (string)kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""),
            List<object?> list => list.Cast<string>().Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            var other => throw new InvalidOperationException($"{name}: environment is {other}"),
        };
        var ports = ComposeFile.Strings(service.GetValueOrDefault("ports")).Select(p =>
        {
            var parts = p.Split(':');
            return parts.Length switch
            {
                2 => new ComposePort(null, int.Parse(parts[0], CultureInfo.InvariantCulture),
                    int.Parse(parts[1], CultureInfo.InvariantCulture)),
                3 => new ComposePort(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture),
                    int.Parse(parts[2], CultureInfo.InvariantCulture)),
                _ => throw new InvalidOperationException($"{name}: port \"{p}\" is not [IP:]HOST:CONTAINER"),
            };
        }).ToList();
        var mounts = service.GetValueOrDefault("volumes") switch
        {
            null => [],
            List<object?> list => list.Select(v => ComposeMount.From(name, v)).ToList(),
            var other => throw new InvalidOperationException($"{name}: volumes is {other}"),
        };
        return new ComposeService(
            name,
            service.GetValueOrDefault("image") as string,
            build?.GetValueOrDefault("context") as string,
            build?.GetValueOrDefault("dockerfile") as string,
            service.GetValueOrDefault("hostname") as string,
            environment,
            ports,
            ComposeFile.Strings(service.GetValueOrDefault("command")),
            ComposeFile.Strings(service.GetValueOrDefault("depends_on")),
            mounts,
            ComposeFile.Strings(ComposeFile.Map(service, "healthcheck")?.GetValueOrDefault("test")),
            service.GetValueOrDefault("user") as string);
    }

    /// <summary>The environment as .NET configuration keys (<c>A__B</c> is <c>A:B</c>).</summary>
    public IReadOnlyDictionary<string, string> Configuration =>
        Environment.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv =>
            kv.Value, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A published port: <c>[HOST_IP:]HOST:CONTAINER</c>; no host IP means every address of the host.</summary>
internal sealed record ComposePort(string? HostIp, int Host, int Container);

/// <summary>A volume or bind mount, from the short (<c>SOURCE:TARGET[:ro]</c>) or the long syntax.</summary>
internal sealed record ComposeMount(string Source, string Target, bool ReadOnly, bool CreatesHostPath)
{
    public static ComposeMount From(string service, object? value)
    {
        switch (value)
        {
            case string text:
                var parts = text.Split(':');
                if (parts.Length is < 2 or > 3)
                {
                    throw new InvalidOperationException($"{service}: volume \"{text}\" is not SOURCE:TARGET[:MODE]");
                }
                return new ComposeMount(parts[0], parts[1], parts.Length == 3 && parts[2].Split(',').Contains("ro"), CreatesHostPath: true);
            case Dictionary<object, object?> map:
                var bind = ComposeFile.Map(map, "bind");
                return new ComposeMount(
                    map.GetValueOrDefault("source") as string
                        ?? throw new InvalidOperationException($"{service}: a volume without a source"),
                    map.GetValueOrDefault("target") as string
                        ?? throw new InvalidOperationException($"{service}: a volume without a target"),
                    IsTrue(map.GetValueOrDefault("read_only")),
                    IsTrue(bind?.GetValueOrDefault("create_host_path")));
            default:
                throw new InvalidOperationException($"{service}: volume {value}");
        }
    }

    private static bool IsTrue(object? value) => value is string text && bool.TryParse(text, out var flag) && flag;
}
