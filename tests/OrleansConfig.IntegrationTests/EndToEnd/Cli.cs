using System.Diagnostics;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>Runs the built <c>orleans-config</c> CLI as a process.</summary>
internal static class Cli
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string,
        string>? environment = null)
    {
        var started = Stopwatch.StartNew();
        using var process = ChildProcess.Start(BuiltApps.Cli, args, stdin, environment);
        if (!await process.WaitForExitAsync(Timeout))
        {
            throw new TimeoutException($"orleans-config {string.Join(' ', args)} did not finish within {Timeout}; {process.Describe()}");
        }
        return new CliResult(process.ExitCode, process.Stdout, process.Stderr, started.Elapsed);
    }

    /// <summary>Starts a long-running command (watch); the caller disposes it, which kills it.</summary>
    public static ChildProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start(BuiltApps.Cli, args, environment: environment);
}
