using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>What the repository holds: sources, not what builds and test runs leave behind.</summary>
public sealed partial class RepositoryTests
{
    [Fact]
    public async Task No_log_build_output_or_test_result_is_tracked()
    {
        var start =
            new ProcessStartInfo("git", ["-C", BuiltApps.RepoRoot, "ls-files"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(start)!;
        var files = (await git.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await git.WaitForExitAsync();
        Assert.Equal(0, git.ExitCode);
        Assert.NotEmpty(files);

        Assert.DoesNotContain(files, f => Leftover().IsMatch(f));
    }

    // logs/, bin/, obj/, TestResults/ at any depth, and log, TRX and binary build files.
    [GeneratedRegex(@"(^|/)(logs|bin|obj|TestResults)/|\.(log|trx|dll|pdb|nupkg)$")]
    private static partial Regex Leftover();
}
