using System.Net;
using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>Readiness waits for every source the silo runs; the dashboard is there when enabled.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadinessTests(EtcdHttpSilo silo) : IClassFixture<EtcdHttpSilo>
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Readyz_is_503_naming_the_etcd_source_until_etcd_is_up_then_200()
    {
        // etcd is not running yet: the file source has synced, the etcd source cannot.
        using (var before = await silo.Http.GetAsync("/readyz"))
        {
            var body = await before.Content.ReadAsStringAsync();
            Assert.True(before.StatusCode == HttpStatusCode.ServiceUnavailable, body);
            using var report = JsonDocument.Parse(body);
            Assert.False(report.RootElement.GetProperty("ready").GetBoolean());
            Assert.Equal("not synced yet: etcd (etcd)", report.RootElement.GetProperty("reason").GetString());
            var sources = report.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            Assert.True(sources["file"].GetProperty("synced").GetBoolean());
            Assert.False(sources["etcd"].GetProperty("synced").GetBoolean());
            Assert.StartsWith("etcd: ", sources["etcd"].GetProperty("lastError").GetString());
        }

        await silo.Etcd.StartAsync();

        var ready = await Eventually.Get(
            async () =>
            {
                using var response = await silo.Http.GetAsync("/readyz");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            r => r.StatusCode == HttpStatusCode.OK,
            SyncTimeout,
            "readiness once etcd is up");
        Assert.Contains("\"ready\": true", ready.Body);

        // The failed attempts and the reconnect (when the watch is established, just after the list) are on /metrics.
        var metrics = await Eventually.Get(
            () => silo.Http.GetStringAsync("/metrics"),
            text => text.Contains("orleansconfig_source_reconnects_total", StringComparison.Ordinal),
            SyncTimeout,
            "the etcd source's reconnect on /metrics");
        Assert.Matches("orleansconfig_source_errors_total\\{[^}]*reason=\"connection\",source=\"etcd\",type=\"etcd\"\\} [1-9]", metrics);
        Assert.Matches("orleansconfig_source_reconnects_total\\{[^}]*source=\"etcd\",type=\"etcd\"\\} 1", metrics);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_served_at_dashboard_when_enabled()
    {
        using var response = await silo.Http.GetAsync("/dashboard/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
