using System.Runtime.InteropServices;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>
/// The silo as silo/Dockerfile publishes it: ReadyToRun, so a process starting cold runs precompiled code instead of
/// compiling Orleans and the grains first. Published once per harness run, its build output kept in a temporary folder
/// so that the next run's publish is incremental.
/// </summary>
internal static class ReadyToRunSilo
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _dll;

    /// <summary>The published silo's entry assembly.</summary>
    public static async Task<string> PublishAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_dll is not null) return _dll;
            var root = Path.Combine(Path.GetTempPath(), "orleans-config-bench-ready-to-run");
            var output = Path.Combine(root, "silo");
            Console.WriteLine($"  publishing the silo ReadyToRun ({RuntimeInformation.RuntimeIdentifier}), as silo/Dockerfile does");
            var publish = await PackedPackages.RunAsync(BuiltApps.RepoRoot, "dotnet",
            [
                "publish", Path.Combine(BuiltApps.RepoRoot, "silo", "OrleansConfig.Silo.csproj"), "-c", "Release",
                "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true",
                "-o", output, "--artifacts-path", Path.Combine(root, "artifacts"), "--disable-build-servers", "-nologo",
                "-clp:ErrorsOnly",
            ]);
            if (publish.ExitCode != 0) throw new InvalidOperationException($"publishing the silo ReadyToRun failed:\n{publish}");
            return _dll = Path.Combine(output, "OrleansConfig.Silo.dll");
        }
        finally
        {
            Once.Release();
        }
    }
}
