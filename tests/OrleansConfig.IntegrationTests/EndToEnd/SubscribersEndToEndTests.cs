using System.Text.Json;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>A running <c>orleans-config watch</c> shows up in <c>orleans-config subscribers</c>, caught up with the union.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SubscribersEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    [Fact]
    public async Task Subscribers_json_shows_a_running_watch_with_the_unions_version_applied()
    {
        using var watch = silo.StartCli("watch", "services", "-o", "json");
        await watch.ReadLineUntilAsync(line => line.StartsWith('{'), TimeSpan.FromSeconds(30));

        var entry = await Eventually.Get(
            () => WatchEntry(watch.Id),
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

    private async Task<JsonElement?> WatchEntry(int processId)
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
