using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>A silo process started with <c>--Sources:Api:Server=URL</c>: <c>client get</c> shows that server's Services
/// and its EndpointSlices merged per Service exactly, and keeps doing so, never reading v1 Endpoints.</summary>
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
        var web = Assert.Single(shown.Endpoints).Subsets.Single();
        Assert.Equal(["10.1.0.1", "fd00::1"], web.Addresses.Select(a => a.Ip));
        Assert.Equal(["10.1.0.2"], web.NotReadyAddresses.Select(a => a.Ip));

        server.Objects.Apply(ApiSamples.Service("cache", "team-c", port: 6379));
        server.Objects.Delete("services", "team-b", "db");
        server.Objects.Apply(ApiSamples.Slice("web-v4", "web", "default", "IPv4", new ApiSamples.At("10.1.0.3")));
        await silo.Reflects("the watched changes");

        // Dropped connections, changes made before the watches return, and a history that no longer reaches back.
        server.Objects.HoldWatches();
        server.Objects.DropWatches();
        await Eventually.Until(() => server.HeldWatches == 2,
            timeout: TimeSpan.FromSeconds(30), what: "both watches to be asked for again");
        server.Objects.Apply(ApiSamples.Service("late", "team-c"));
        server.Objects.Delete("services", "team-c", "cache");
        server.Objects.Apply(ApiSamples.Slice("late-1", "late", "team-c", "IPv4", new ApiSamples.At("10.3.0.1")));
        server.Objects.Compact();
        server.Objects.ReleaseWatches();
        await silo.Reflects("after the 410");

        // ERROR 410 events on the open watches, then dropped connections again.
        server.Objects.ExpireWatches();
        server.Objects.Apply(ApiSamples.Service("after-expiry", "team-c"));
        await silo.Reflects("after the ERROR events");
        await Eventually.Until(() =>
            server.Objects.OpenWatches("services") == 1 && server.Objects.OpenWatches("endpointslices") == 1,
                timeout: TimeSpan.FromSeconds(30), what:
            "the watches");
        server.Objects.DropWatches();
        server.Objects.Delete("endpointslices", "default", "web-v4");
        await silo.Reflects("after the second drop");
        server.Objects.Delete("endpointslices", "default", "web-v6");
        await silo.Reflects("after web's last slice went");
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("/api/v1/endpoints", StringComparison.Ordinal));

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

    [Fact]
    public async Task An_unknown_endpoints_source_stops_the_silo_naming_the_key()
    {
        var ports = FreePorts.Take(2);
        using var process = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=",
            "--Sources:Api:Server=http://127.0.0.1:1", "--Sources:Api:EndpointsFrom=Slices",
        ]);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), process.Describe());

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Sources:Api:EndpointsFrom: must be EndpointSlices or Endpoints, got \"Slices\"", process.Stderr);
    }
}
