using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>
/// Without urls to serve the silo has no HTTP at all; with them, its HTTP settings are checked at start, and an open
/// status page does not hold up its stop.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloHttpLifecycleTests
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

    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_stops_the_silo_naming_both_settings()
    {
        // Refused before anything listens: no traffic leaves loopback.
        var url = $"http://0.0.0.0:{FreePorts.Take(1)[0]}";
        using var silo = ChildProcess.Start(BuiltApps.Silo, [.. FreePortArgs(), "--urls", url]);

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        Assert.Equal(1, silo.ExitCode);
        Assert.Equal(
            $"error: HTTP listens on {url} beyond loopback without OrleansConfig:Http:TokenFile; set one, or set " +
                $"OrleansConfig:Insecure=true if you mean it",
            silo.Stderr.Trim());
    }

    [Fact]
    public async Task A_missing_or_empty_token_file_stops_the_silo_naming_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-config-token-").FullName;
        try
        {
            var missing = Path.Combine(directory, "missing");
            var empty = Path.Combine(directory, "empty");
            await File.WriteAllTextAsync(empty, " \n");

            Assert.Equal($"error: OrleansConfig:Http:TokenFile: file \"{missing}\" does not exist",
                await Refusal($"--OrleansConfig:Http:TokenFile={missing}"));
            Assert.Equal($"error: OrleansConfig:Http:TokenFile: file \"{empty}\" is empty",
                await Refusal($"--OrleansConfig:Http:TokenFile={empty}"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_MaxEventStreamClients_stops_the_silo_naming_the_key() =>
        Assert.Equal(
            "error: OrleansConfig:Http:MaxEventStreamClients: must be between 1 and 10000, got 0",
            await Refusal("--OrleansConfig:Http:MaxEventStreamClients=0"));

    /// <summary>What a silo serving loopback HTTP with <paramref name="setting"/> prints as it refuses to start.</summary>
    private static async Task<string> Refusal(string setting)
    {
        using var silo =
            ChildProcess.Start(BuiltApps.Silo, [.. FreePortArgs(), "--urls", $"http://127.0.0.1:{FreePorts.Take(1)[0]}", setting]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        Assert.True(silo.ExitCode == 1, silo.Describe());
        return silo.Stderr.Trim();
    }

    [Fact]
    public async Task An_open_event_stream_does_not_hold_up_a_clean_stop()
    {
        var url = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        using var silo = ChildProcess.Start(BuiltApps.Silo, [.. FreePortArgs(), "--urls", url]);
        await silo.ReadLineUntilAsync(line => line.Contains("Application started", StringComparison.Ordinal), SiloProcess.StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 2000", await reader.ReadLineAsync());

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        silo.Terminate();

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(20)), silo.Describe());
        Assert.True(silo.ExitCode == 0, silo.Describe());
        // The host would otherwise wait its whole shutdown timeout (30 s) for the open request.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed}");
        // The stream ended with the silo (a read that hung would be canceled, failing the test).
        using var ended = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await DrainAsync(reader, ended.Token);
    }

    /// <summary>Reads until the stream ends, cleanly or as the connection closes.</summary>
    private static async Task DrainAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The connection closed as the process went.
        }
    }
}
