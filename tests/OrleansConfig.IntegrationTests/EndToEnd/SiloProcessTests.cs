namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The silo process itself: settings checked at start, and a clean stop.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloProcessTests
{
    private static async Task<ChildProcess> RunToExit(params string[] args)
    {
        var silo = ChildProcess.Start(BuiltApps.Silo, args);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        return silo;
    }

    private static string[] FreePortArgs()
    {
        var ports = FreePorts.Take(2);
        return [$"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}"];
    }

    [Fact]
    public async Task A_missing_file_source_path_stops_the_silo_naming_the_key()
    {
        using var silo = await RunToExit([.. FreePortArgs(), "--Sources:File:Path=/nope"]);

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Equal("error: Sources:File:Path: directory or file \"/nope\" does not exist", silo.Stderr.Trim());
    }

    [Fact]
    public async Task A_bad_source_name_and_a_bad_period_are_each_named()
    {
        using var silo =
            await RunToExit(
            [.. FreePortArgs(), $"--Sources:File:Path={Path.GetTempPath()}", "--Sources:File:Name=Bad_Name",
            "--Sources:File:Debounce=-00:00:01"]);

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("error: Sources:File:Name: \"Bad_Name\" must consist of", silo.Stderr);
        Assert.Contains("error: Sources:File:Debounce: must be between", silo.Stderr);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_silo_naming_the_key()
    {
        using var silo = await RunToExit("--Orleans:Endpoints:GatewayPort=lots", "--Sources:File:Path=");

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("'Orleans:Endpoints:GatewayPort'", silo.Stderr);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_silo_naming_the_key()
    {
        var ports = FreePorts.Take(2);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, ports[1]);
        taken.Start();

        using var silo =
            await RunToExit($"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}",
            "--Sources:File:Path=");

        Assert.NotEqual(0, silo.ExitCode);
        Assert.StartsWith($"error: Orleans:Endpoints:GatewayPort: port {ports[1]} on 127.0.0.1 cannot be used", silo.Stderr);
    }

    [Fact]
    public async Task The_silo_stops_cleanly_on_sigterm()
    {
        var directory = Directory.CreateTempSubdirectory("oc-stop-").FullName;
        try
        {
            var ports = FreePorts.Take(2);
            using var silo = ChildProcess.Start(BuiltApps.Silo,
                [$"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}",
                    $"--Sources:File:Path={directory}"]);
            await silo.ReadLineUntilAsync(line => line.Contains("Application started", StringComparison.Ordinal), SiloProcess.StartTimeout);
            var listed = await Cli.RunAsync(["--gateway", $"127.0.0.1:{ports[1]}", "sources", "file", "-o", "json"]);
            Assert.True(listed.ExitCode == 0, listed.ToString());

            silo.Terminate();

            Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)), silo.Describe());
            Assert.True(silo.ExitCode == 0, silo.Describe());
            Assert.Contains("Application is shutting down", silo.Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
