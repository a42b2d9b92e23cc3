using System.Text.Json;

namespace OrleansConfig.IntegrationTests.EndToEnd;

// Separate from InProcessCluster: the built host with its command line; HttpSilo, TlsSilo and ApiSiloProcess are this with arguments.
/// <summary>
/// The built silo running as a real process on free loopback ports, its file source watching a fresh
/// temporary directory that starts with a copy of <c>examples/</c>.
/// </summary>
public sealed class SiloProcess : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private ChildProcess? _silo;

    /// <summary>More silo arguments, e.g. <c>--urls http://127.0.0.1:PORT</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Arguments every CLI call of <see cref="Cli"/> takes, e.g. the certificate of a TLS silo's admin.</summary>
    public IReadOnlyList<string> CliArgs { get; init; } = [];

    /// <summary>The source whose first sync means the silo is ready: the file source unless the arguments turn it off.</summary>
    public string ReadySource { get; init; } = "file";

    public string WatchedDirectory { get; } = Directory.CreateTempSubdirectory("orleans-config-e2e-").FullName;

    public string Gateway { get; private set; } = "";

    /// <summary>The silo's process id (0 before it starts), for measurements of its own.</summary>
    public int ProcessId => _silo?.Id ?? 0;

    /// <summary>What the silo has printed so far, for failure messages.</summary>
    public string Output => _silo?.Describe() ?? "(not started)";

    public async Task InitializeAsync()
    {
        foreach (var example in Directory.EnumerateFiles(BuiltApps.Examples))
        {
            File.Copy(example, Path.Combine(WatchedDirectory, Path.GetFileName(example)));
        }
        var ports = FreePorts.Take(2);
        Gateway = $"127.0.0.1:{ports[1]}";
        _silo = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:Endpoints:SiloPort={ports[0]}",
            $"--Orleans:Endpoints:GatewayPort={ports[1]}",
            $"--Sources:File:Path={WatchedDirectory}",
            "--Sources:File:RescanPeriod=00:00:10",
            .. ExtraArgs,
        ]);

        // Ready when the source's first Set is in: `sources` shows it synced.
        await Eventually.Get(
            async () =>
            {
                if (_silo.HasExited) throw new InvalidOperationException($"the silo exited while starting; {_silo.Describe()}");
                var result = await Cli("sources", ReadySource, "-o", "json");
                return result.ExitCode == 0 && IsSynced(result.Stdout, ReadySource);
            },
            ready => ready,
            StartTimeout,
            $"the silo's {ReadySource} source to sync");
    }

    public Task<CliResult> Cli(params string[] args) => EndToEnd.Cli.RunAsync(["--gateway", Gateway, .. CliArgs, .. args]);

    public ChildProcess StartCli(params string[] args) => EndToEnd.Cli.Start(["--gateway", Gateway, .. CliArgs, .. args]);

    /// <summary>The status of <paramref name="source"/> as <c>sources -o json</c> shows it.</summary>
    public async Task<JsonElement> SourceStatus(string source)
    {
        var result = await Cli("sources", source, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == source).Clone();
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            _silo.Terminate();
            await _silo.WaitForExitAsync(TimeSpan.FromSeconds(15));
            _silo.Dispose();
        }
        try
        {
            Directory.Delete(WatchedDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private static bool IsSynced(string json, string source)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Any(s =>
            s.GetProperty("name").GetString() == source && s.GetProperty("synced").GetBoolean());
    }
}
