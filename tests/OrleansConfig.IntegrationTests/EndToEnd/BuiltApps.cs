using System.Reflection;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>Where the build put the silo and the CLI (recorded by the test project at build time).</summary>
internal static class BuiltApps
{
    public static string Silo => Find("EndToEnd.Silo");

    public static string Cli => Find("EndToEnd.Cli");

    /// <summary>The README's client program, examples/WatchUnion.</summary>
    public static string Example => Find("EndToEnd.Example");

    /// <summary>The YARP gateway example, examples/Gateway.</summary>
    public static string Gateway => Find("EndToEnd.Gateway");

    public static string RepoRoot => Metadata("EndToEnd.RepoRoot");

    public static string Examples => Path.Combine(RepoRoot, "examples");

    /// <summary>The <c>dotnet</c> host running the tests, so children run on the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Find(string key)
    {
        var path = Metadata(key);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{key}: {path} is not built; build the solution (or this test project) first", path);
    }

    private static string Metadata(string key) =>
        typeof(BuiltApps).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"the test assembly has no {key} metadata");
}
