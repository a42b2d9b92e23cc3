using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>Without urls to serve the silo has no HTTP at all; with them, its HTTP settings are checked at start.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloWithoutHttpTests
{
    private static string[] FreePortArgs()
    {
        var ports = FreePorts.Take(2);
        return [$"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path="];
    }

    [Fact]
    public async Task Without_urls_the_silo_listens_for_no_http()
    {
        using var silo = ChildProcess.Start(BuiltApps.Silo, FreePortArgs());
        await silo.ReadLineUntilAsync(line => line.Contains("Application started", StringComparison.Ordinal), SiloProcess.StartTimeout);

        silo.Terminate();
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)), silo.Describe());
        Assert.True(silo.ExitCode == 0, silo.Describe());
        Assert.DoesNotContain("Now listening on", silo.Stdout);
    }

    [Fact]
    public async Task A_bad_http_setting_stops_the_silo_naming_the_key()
    {
        using var silo = ChildProcess.Start(BuiltApps.Silo,
            [.. FreePortArgs(), "--urls", $"http://127.0.0.1:{FreePorts.Take(1)[0]}", "--OrleansConfig:Http:KeepAlive=00:00:00"]);

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        Assert.Equal(1, silo.ExitCode);
        Assert.Equal("error: OrleansConfig:Http:KeepAlive: must be between 00:00:01 and 01:00:00, got 00:00:00", silo.Stderr.Trim());
    }
}
