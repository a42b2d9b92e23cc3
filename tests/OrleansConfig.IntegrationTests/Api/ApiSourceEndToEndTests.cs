using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>A silo process started with <c>--Sources:Api:Server=URL</c>: <c>client get</c> shows that server's objects
/// exactly, and keeps doing so.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ApiSourceEndToEndTests(ApiSiloProcess silo) : IClassFixture<ApiSiloProcess>
{
    [Fact]
    public async Task Client_get_shows_the_servers_objects_exactly_across_changes_410s_and_dropped_connections()
    {
        var server = silo.Server;
        await silo.Reflects("the first lists");
        var shown = await silo.Get();
        var keys = shown.Services.Select(s => s.Key().ToString()).ToArray();
        Assert.All(new[] { "default/web", "team-a/api", "team-b/db" }, key => Assert.Contains(key, keys));

        server.Objects.Apply(ApiSamples.Service("cache", "team-c", port: 6379));
        server.Objects.Delete("services", "team-b", "db");
        server.Objects.Apply(ApiSamples.Endpoints("web", "default", "10.1.0.3"));
        await silo.Reflects("the watched changes");

        // Dropped connections, changes made before the watches return, and a history that no longer reaches back.
        server.Objects.HoldWatches();
        server.Objects.DropWatches();
        await Eventually.Until(() => server.HeldWatches == 2,
            timeout: TimeSpan.FromSeconds(30), what: "both watches to be asked for again");
        server.Objects.Apply(ApiSamples.Service("late", "team-c"));
        server.Objects.Delete("services", "team-c", "cache");
        server.Objects.Apply(ApiSamples.Endpoints("late", "team-c", "10.3.0.1"));
        server.Objects.Compact();
        server.Objects.ReleaseWatches();
        await silo.Reflects("after the 410");

        // ERROR 410 events on the open watches, then dropped connections again.
        server.Objects.ExpireWatches();
        server.Objects.Apply(ApiSamples.Service("after-expiry", "team-c"));
        await silo.Reflects("after the ERROR events");
        await Eventually.Until(() =>
            server.Objects.OpenWatches("services") == 1 && server.Objects.OpenWatches("endpoints") == 1,
                timeout: TimeSpan.FromSeconds(30), what:
            "the watches");
        server.Objects.DropWatches();
        server.Objects.Delete("endpoints", "default", "web");
        await silo.Reflects("after the second drop");

        var status = await silo.Status();
        Assert.True(status.GetProperty("synced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task A_server_outage_shows_in_sources_and_the_state_is_kept_until_it_is_back()
    {
        var server = silo.Server;
        await silo.Reflects("before the outage");
        var before = await silo.Get();

        await server.StopAsync();
        await Eventually.Get(silo.Status, s =>
            s.GetProperty("lastError").GetString() is { } e && e.StartsWith("api: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
            "the outage in `sources`");
        Assert.Equal(before, await silo.Get());

        server.Objects.Apply(ApiSamples.Service("added-meanwhile", "team-c"));
        await server.StartAgainAsync();
        await silo.Reflects("after the outage");
        await Eventually.Get(silo.Status, s =>
            s.GetProperty("lastError").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(30), "the error to clear");
    }
}
