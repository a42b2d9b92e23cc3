using System.Diagnostics;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>scripts/make-certs.sh, run into a directory: the certificates docker-compose.yml and cluster-up.sh use.</summary>
internal static class MakeCerts
{
    /// <summary>Every file the script makes: each certificate and its key, the CAs' keys included.</summary>
    public static readonly string[] Certificates = ["ca", "silo", "admin", "writer-manual", "reader", "etcd-ca", "etcd", "etcd-client"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] options)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(BuiltApps.RepoRoot, "scripts", "make-certs.sh"), .. options, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<string> MakeAsync(string directory)
    {
        var (exitCode, output) = await RunAsync(directory);
        Assert.True(exitCode == 0, $"make-certs.sh exited {exitCode}:\n{output}");
        return output;
    }
}
