using System.Text.Json;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.IntegrationTests.Proxy;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>
/// A running <c>orleans-config watch</c> (kind services) and a running <c>orleans-config proxy</c> (kind catalog) show up
/// in <c>orleans-config subscribers</c>, caught up with the union.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SubscribersEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    [Fact]
    public async Task Subscribers_json_shows_a_running_watch_with_the_unions_version_applied()
    {
        using var watch = silo.StartCli("watch", "services", "-o", "json");
        await watch.ReadLineUntilAsync(line => line.StartsWith('{'), TimeSpan.FromSeconds(30));

        var entry = await Eventually.Get(
            () => Entry(watch.Id),
            e => e is { } found && found.GetProperty("applied").GetString() is { } applied && applied == found.GetProperty("union").GetString(),
            TimeSpan.FromSeconds(30),
            "the watch reports the union's version as applied");

        var watched = entry!.Value;
        Assert.Equal("services", watched.GetProperty("kind").GetString());
        Assert.Equal("orleans-config", watched.GetProperty("processName").GetString());
        Assert.Equal(0, watched.GetProperty("versionsBehind").GetInt64());
        Assert.Single(watched.GetProperty("handlers").EnumerateArray());
        Assert.StartsWith("sys.client/", watched.GetProperty("client").GetString(), StringComparison.Ordinal);
        var version = await silo.Cli("version");
        Assert.Contains($"(union version {watched.GetProperty("applied").GetString()})", version.Stdout, StringComparison.Ordinal);

        var table = await silo.Cli("subscribers");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"^CLIENT\s+HOST\s+PROCESS\s+KIND\s+HANDLERS\s+APPLIED\s+LAG\s+RESYNCS\s+LAST ERROR\s+AGE\n", table.Stdout);
        Assert.Contains($"orleans-config[{watch.Id}]", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribers_json_shows_a_running_proxy_as_a_catalog_with_the_unions_version_applied()
    {
        const string ns = "subscribers-e2e";
        using var proxy = ProxyProcess.Start(silo, "--namespace", ns);

        var entry = await CaughtUp(proxy, previous: null);

        Assert.Equal("catalog", entry.GetProperty("kind").GetString());
        Assert.Equal("orleans-config", entry.GetProperty("processName").GetString());
        Assert.Equal(["OrleansConfig.Proxy.Proxier"], entry.GetProperty("handlers").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(0, entry.GetProperty("versionsBehind").GetInt64());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("lastError").ValueKind);

        // The proxy takes a change (it opens a listener for it) and reports the union's new version as applied.
        var manifest = ManifestText.WriteTemp(
            ManifestText.Join(ManifestText.Service("echo", ns, type: "ClusterIP"), ManifestText.LoopbackEndpoints("echo", ns, FreePorts.Take(1))));
        try
        {
            var applied = await silo.Cli("apply", "--source", "subscribers-e2e", "-f", manifest);
            Assert.True(applied.ExitCode == 0, applied.ToString());
        }
        finally
        {
            File.Delete(manifest);
        }
        await proxy.OpenedAsync($"{ns}/echo");
        var after = await CaughtUp(proxy, previous: entry.GetProperty("applied").GetString());
        Assert.Equal(entry.GetProperty("instance").GetString(), after.GetProperty("instance").GetString());

        var table = await silo.Cli("subscribers");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches($@"\sorleans-config\[{proxy.Id}\]\s+catalog\s+OrleansConfig\.Proxy\.Proxier\s", table.Stdout);
    }

    /// <summary>The proxy's entry once its applied version is the union's (and not <paramref name="previous"/>).</summary>
    private async Task<JsonElement> CaughtUp(ProxyProcess proxy, string? previous)
    {
        var entry = await Eventually.Get(
            () => Entry(proxy.Id),
            e => e is { } found && found.GetProperty("applied").GetString() is { } applied
                && applied == found.GetProperty("union").GetString() && applied != previous,
            TimeSpan.FromSeconds(30),
            $"the proxy reports the union's version as applied; {proxy.Describe()}");
        return entry!.Value;
    }

    private async Task<JsonElement?> Entry(int processId)
    {
        var result = await silo.Cli("subscribers", "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("processId").GetInt32() == processId) return entry.Clone();
        }
        return null;
    }
}
