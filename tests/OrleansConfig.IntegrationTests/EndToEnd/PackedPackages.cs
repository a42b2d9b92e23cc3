using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>
/// The repository's packages as <c>dotnet pack</c> makes them, packed once into a temporary folder: every project
/// under <c>src/</c> and the CLI. Packed with a version of its own (<c>VersionSuffix</c>) and its own build output
/// (<c>--artifacts-path</c>), so neither the repository's bin/obj nor NuGet's cache of an earlier run is reused.
/// </summary>
public sealed partial class PackedPackages : IAsyncLifetime
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    public string Root { get; } = Directory.CreateTempSubdirectory("orleans-config-packages-").FullName;

    public string Feed => Path.Combine(Root, "packages");

    /// <summary>The version every package got: the repository's <c>VersionPrefix</c> with this run's suffix.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The ids of the packages made (.nupkg, not symbols).</summary>
    public IReadOnlyList<string> Ids { get; private set; } = [];

    /// <summary>The projects packed, relative to the repository root.</summary>
    public static IReadOnlyList<string> PackableProjects() =>
    [
        .. Directory.EnumerateDirectories(Path.Combine(BuiltApps.RepoRoot, "src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .Select(p => Path.GetRelativePath(BuiltApps.RepoRoot, p)),
        Path.Combine("client", "OrleansConfig.Cli.csproj"),
    ];

    public async Task InitializeAsync()
    {
        var suffix = $"e2e.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var prefix = VersionPrefix().Match(await File.ReadAllTextAsync(Path.Combine(BuiltApps.RepoRoot, "Directory.Build.props")));
        Assert.True(prefix.Success, "Directory.Build.props sets no VersionPrefix");
        Version = $"{prefix.Groups[1].Value}-{suffix}";

        // A solution filter of the packable projects: the whole solution would also rebuild this running test assembly.
        var filter = Path.Combine(Root, "packable.slnf");
        await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new
        {
            solution = new
            {
                path = Path.Combine(BuiltApps.RepoRoot, "OrleansConfig.sln"),
                projects = PackableProjects().Select(p => p.Replace('/', '\\')).ToArray(),
            },
        }));
        var pack = await RunAsync(Root, "dotnet",
            ["pack", filter, "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "artifacts"),
                $"-p:VersionSuffix={suffix}", "--disable-build-servers", "-nologo", "-clp:ErrorsOnly"]);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        Ids =
        [
            .. Directory.EnumerateFiles(Feed, "*.nupkg")
                .Select(Path.GetFileName)
                .Select(f => f![..^($".{Version}.nupkg".Length)])
                .Order(StringComparer.Ordinal),
        ];
    }

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public Task DisposeAsync()
    {
        // This run's version in NuGet's global cache is never used again.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Ids) TryDelete(Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant()));
        TryDelete(Root);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs a program to its end, output collected. Nested builds get a clean environment: no MSBuild settings of the
    /// build that runs the tests, no Orleans settings.
    /// </summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program == "dotnet" ? BuiltApps.DotnetHost : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (
            var key in info.Environment.Keys.Where(k =>
                k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ORLEANS", StringComparison.OrdinalIgnoreCase)
                || k.Equals("VSTEST_HOST_DEBUG", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? CommandTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not finish within {timeout ?? CommandTimeout};" +
                $"\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr) return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString(), started.Elapsed);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    [GeneratedRegex(@"<VersionPrefix>\s*([^<\s]+)\s*</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
