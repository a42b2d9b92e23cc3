using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.Reporting;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>The silo's HTTP side, on the real silo process started with <c>--urls</c>.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HttpEndpointTests(HttpSilo silo) : IClassFixture<HttpSilo>
{
    private async Task<CliResult> Apply(string source, string manifest)
    {
        var file = ManifestText.WriteTemp(manifest);
        try
        {
            var result = await silo.Cli("apply", "--source", source, "-f", file);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<string> Cli(params string[] args)
    {
        var result = await silo.Cli(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var response = await silo.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Readyz_is_ready_once_the_silo_is_active_and_its_file_source_synced()
    {
        using var response = await silo.Http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var report = JsonDocument.Parse(body);
        Assert.True(report.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal("Active", report.RootElement.GetProperty("silo").GetString());
        var file = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal("file", file.GetProperty("name").GetString());
        Assert.True(file.GetProperty("synced").GetBoolean());
    }

    [Fact]
    public async Task Api_services_and_endpoints_are_exactly_what_client_get_prints()
    {
        await Apply("api-test", ManifestText.ServiceAndEndpoints("api-web", "api-ns", "10.1.2.3", 8081));

        // Both read the aggregator's union: once the CLI shows the change, so does the API, byte for byte.
        foreach (var kind in new[] { "services", "endpoints" })
        {
            var cli = await Cli("get", kind, "-o", "json");
            var api = await silo.Http.GetStringAsync($"/api/{kind}");

            Assert.Equal(cli, api);
            using var list = JsonDocument.Parse(api);
            var items = list.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Contains(items, i => i.GetProperty("metadata").GetProperty("name").GetString() == "api-web"
                && i.GetProperty("metadata").GetProperty("annotations").GetProperty("orleans-config/source").GetString() == "api-test");
            Assert.All(items, i => Assert.False(string.IsNullOrEmpty(
                i.GetProperty("metadata").GetProperty("annotations").GetProperty("orleans-config/source").GetString())));
        }
    }

    [Fact]
    public async Task Api_services_and_endpoints_are_the_union_as_Manifest_ToJson_writes_it()
    {
        await using var cluster = await GatewayClient.ConnectAsync(silo.Process.Gateway);
        var union = await cluster.Client.GetAggregator().GetSnapshot();

        using var services = await silo.Http.GetAsync("/api/services");
        using var endpoints = await silo.Http.GetAsync("/api/endpoints");

        Assert.Equal(Manifest.ToJson(UnionOrder.Sorted(union.Services), [], indented: true) + "\n",
            await services.Content.ReadAsStringAsync());
        Assert.Equal(Manifest.ToJson([], UnionOrder.Sorted(union.Endpoints), indented: true) + "\n",
            await endpoints.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", services.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Api_sources_is_exactly_what_client_sources_prints()
    {
        await Apply("sources-test", ManifestText.ServiceAndEndpoints("sources-web", "default", "10.1.2.4", 8082));

        // The file source's periodic rescan moves its last-heard time now and then: compare a pair taken together.
        var (cli, api) = await Eventually.Get(
            async () => (await Cli("sources", "-o", "json"), await silo.Http.GetStringAsync("/api/sources")),
            pair => pair.Item1 == pair.Item2,
            what: "the CLI and the API to list the same sources");

        using var sources = JsonDocument.Parse(api);
        Assert.Contains(sources.RootElement.EnumerateArray(), s => s.GetProperty("name").GetString() == "sources-test"
            && s.GetProperty("services").GetInt32() == 1 && s.GetProperty("synced").GetBoolean());
        Assert.Equal(cli, api);
    }

    [Fact]
    public async Task Api_sources_also_lists_named_sources_like_the_cli()
    {
        var cli = await Cli("sources", "never-heard-of", "-o", "json");
        var api = await silo.Http.GetStringAsync("/api/sources?name=never-heard-of");

        using var sources = JsonDocument.Parse(api);
        Assert.Contains(sources.RootElement.EnumerateArray(), s => s.GetProperty("name").GetString() == "never-heard-of");
        Assert.Equal(Names(cli), Names(api));

        static string[] Names(string json) =>
            [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
    }

    [Theory]
    [InlineData("Bad_Name",
        "name: \"Bad_Name\" must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit")]
    [InlineData("", "name: must not be empty")]
    public async Task Api_sources_answers_400_naming_the_name_parameter_for_a_bad_source_name(string name, string reason)
    {
        using var response = await silo.Http.GetAsync($"/api/sources?name=file&name={Uri.EscapeDataString(name)}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        using var error = JsonDocument.Parse(body);
        Assert.Equal(reason, error.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Without_a_token_file_every_path_is_open_on_loopback()
    {
        using var response = await silo.Http.GetAsync("/api/services");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Metrics_count_the_status_pages_own_subscribers_and_their_lag()
    {
        // The silo's status page follows the union with one ServiceConfig and one EndpointsConfig; both report.
        var text = await Eventually.Get(
            () => silo.Http.GetStringAsync("/metrics"),
            t => Regex.IsMatch(t, "orleansconfig_subscribers\\{otel_scope_name=\"OrleansConfig\",kind=\"endpoints\"\\} [1-9]")
                && Regex.IsMatch(t, "orleansconfig_subscribers\\{otel_scope_name=\"OrleansConfig\",kind=\"services\"\\} [1-9]"),
            what: "the registry to count the status page's subscribers");

        Assert.Contains("# TYPE orleansconfig_subscriber_lag_seconds histogram", text);
        Assert.Contains("orleansconfig_subscriber_lag_seconds_bucket{otel_scope_name=\"OrleansConfig\",kind=\"services\",le=\"0.005\"}", text);
        var listed = await silo.Http.GetStringAsync("/api/subscribers");
        Assert.Contains("\"kind\": \"endpoints\"", listed);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_our_instruments_and_Orleans_own()
    {
        await Apply("metrics-test", ManifestText.ServiceAndEndpoints("metrics-web", "default", "10.1.2.5", 8083));
        // The grain refuses this replace: it would remove all of the guarded source's items.
        await Apply(HttpSilo.GuardedSource, ManifestText.ServiceAndEndpoints("kept", "default", "10.1.2.7", 8085));
        var replacement = ManifestText.WriteTemp(ManifestText.ServiceAndEndpoints("other", "default", "10.1.2.8", 8086));
        try
        {
            var refused = await silo.Cli("replace", "--source", HttpSilo.GuardedSource, "-f", replacement);
            Assert.True(refused.ExitCode == 1, refused.ToString());
        }
        finally
        {
            File.Delete(replacement);
        }

        var text = await Eventually.Get(
            () => silo.Http.GetStringAsync("/metrics"),
            t => t.Contains(
                "orleansconfig_propagation_duration_seconds_count{otel_scope_name=\"OrleansConfig\",kind=\"services\",stage=\"view\"}",
                StringComparison.Ordinal),
            what: "the status page's view to record a propagation");

        Assert.Contains("# TYPE orleansconfig_updates_applied_total counter", text);
        Assert.Contains(
            "orleansconfig_updates_applied_total{otel_scope_name=\"OrleansConfig\"," +
            "kind=\"services\",operation=\"add\",source=\"metrics-test\"} 1", text);
        Assert.Contains(
            "orleansconfig_updates_applied_total{otel_scope_name=\"OrleansConfig\",kind=\"endpoints\",operation=\"set\",source=\"file\"}",
            text);
        Assert.Contains(
            "orleansconfig_updates_rejected_total{otel_scope_name=\"OrleansConfig\"," +
            "kind=\"services\",operation=\"set\",reason=\"deletion_guard\",source=\"guarded\"} 1", text);
        Assert.Matches("orleansconfig_union_size\\{otel_scope_name=\"OrleansConfig\",kind=\"services\"\\} \\d+", text);
        Assert.Matches("orleansconfig_union_version\\{otel_scope_name=\"OrleansConfig\"\\} [1-9]\\d*", text);
        Assert.Contains("# TYPE orleansconfig_propagation_duration_seconds histogram", text);
        Assert.Contains(
            "orleansconfig_propagation_duration_seconds_bucket{otel_scope_name=\"OrleansConfig\",stage=\"publish\",le=\"0.005\"}", text);
        // Per source whose grain is on this silo: stale or not, dropped or not, seconds of silence.
        Assert.Contains("orleansconfig_source_stale{otel_scope_name=\"OrleansConfig\",source=\"file\"} 0", text);
        Assert.Contains("orleansconfig_source_dropped{otel_scope_name=\"OrleansConfig\",source=\"file\"} 0", text);
        Assert.Matches("orleansconfig_source_silence_seconds\\{otel_scope_name=\"OrleansConfig\",source=\"file\"\\} \\d", text);
        // Orleans' own meter, beside ours.
        Assert.Contains("otel_scope_name=\"Microsoft.Orleans\"", text);
        Assert.Contains("orleans_catalog_activations", text);
    }

    [Fact]
    public async Task Events_stream_a_snapshot_then_only_what_each_write_changed()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        using var response = await silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        // The snapshot: the whole union, as the API writes it.
        var first = await ReadEvent(reader, "services", cancel.Token);
        Assert.Contains("\"name\":\"web\"", first);
        Assert.Equal(Compact(JsonNode.Parse(await silo.Http.GetStringAsync("/api/services"))!), first);

        await Apply("events-test", ManifestText.ServiceAndEndpoints("events-web", "default", "10.1.2.6", 8084));

        // Then only the change: the new service, the same JSON as the API's item, in a changes event.
        // The two kinds are followed separately: their events come in either order.
        string[] pair =
        [
            await ReadEventWhere(reader, "changes", data => data.Contains("events-web", StringComparison.Ordinal), cancel.Token),
            await ReadEventWhere(reader, "changes", data => data.Contains("events-web", StringComparison.Ordinal), cancel.Token),
        ];
        var added = pair.Single(e => e.Contains("\"services\":{\"upserted\":[{", StringComparison.Ordinal));
        var endpoints = pair.Single(e => e != added);
        var service = await ApiItem("services", "events-web");
        Assert.Equal(
            $$"""{"version":"{{Version(added)}}","services":{"upserted":[{{service}}],"removed":[]},""" +
            "\"endpoints\":{\"upserted\":[],\"removed\":[]}}",
            added);
        var item = await ApiItem("endpoints", "events-web");
        Assert.Equal(
            $$"""{"version":"{{Version(endpoints)}}","services":{"upserted":[],"removed":[]},""" +
            "\"endpoints\":{\"upserted\":[" + item + "],\"removed\":[]}}",
            endpoints);

        var deleted = await silo.Cli("delete", "--source", "events-test", "service", "default/events-web");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());

        var removed = await ReadEventWhere(reader, "changes", data => data.Contains("events-web", StringComparison.Ordinal), cancel.Token);
        Assert.Equal(
            $$"""{"version":"{{Version(removed)}}","services":{"upserted":[],""" +
            "\"removed\":[{\"namespace\":\"default\",\"name\":\"events-web\",\"source\":\"events-test\"}]}," +
            "\"endpoints\":{\"upserted\":[],\"removed\":[]}}",
            removed);
        Assert.True(
            long.Parse(Version(removed).Split(':')[1]) > long.Parse(Version(added).Split(':')[1]),
            $"{Version(removed)} after {Version(added)}");

        async Task<string> ApiItem(string kind, string name) =>
            Compact(JsonNode.Parse(await silo.Http.GetStringAsync($"/api/{kind}"))!["items"]!.AsArray()
                .Single(i => i!["metadata"]!["name"]!.GetValue<string>() == name)!);

        static string Compact(JsonNode node) =>
            node.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        static string Version(string changes) => JsonDocument.Parse(changes).RootElement.GetProperty("version").GetString()!;
    }

    [Fact]
    public async Task The_status_page_is_self_contained()
    {
        var page = await silo.Http.GetStringAsync("/");
        var css = await silo.Http.GetStringAsync("/status.css");
        var script = await silo.Http.GetStringAsync("/status.js");

        Assert.Contains("<title>OrleansConfig</title>", page);
        Assert.Contains("/api/events", script);
        // Nothing is fetched from elsewhere: no absolute URLs, no web fonts.
        foreach (var text in new[] { page, css, script })
        {
            Assert.DoesNotContain("http://", text);
            Assert.DoesNotContain("https://", text);
            Assert.DoesNotContain("@import", text);
            Assert.DoesNotContain("@font-face", text);
        }
    }

    [Fact]
    public async Task The_dashboard_is_off_unless_enabled()
    {
        using var response = await silo.Http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<string> ReadEvent(StreamReader reader, string name, CancellationToken cancellationToken) =>
        ReadEventWhere(reader, name, _ => true, cancellationToken);

    /// <summary>Reads Server-Sent Events until one named <paramref name="name"/> whose data matches; returns its data.</summary>
    private static async Task<string> ReadEventWhere(StreamReader reader, string name, Func<string, bool> match,
        CancellationToken cancellationToken)
    {
        string? eventName = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name && match(line["data: ".Length..]))
            {
                return line["data: ".Length..];
            }
            else if (line.Length == 0) eventName = null;
        }
        throw new InvalidOperationException($"the event stream ended before a matching {name} event");
    }
}
