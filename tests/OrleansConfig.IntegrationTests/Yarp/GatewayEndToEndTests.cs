using System.Net;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Yarp;

/// <summary>
/// The example gateway as a new user runs it: a silo process, examples/Gateway as a process, real HTTP through it to
/// Kestrel backends, and the union changed underneath with the CLI. Each test keeps to its own namespace.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GatewayEndToEndTests(GatewayProcess gateway) : IClassFixture<GatewayProcess>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _files = Directory.CreateTempSubdirectory("oc-yarp-").FullName;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    private static string Service(string ns, string name, string? hosts = null, string? path = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
            {(hosts is null ? "" : $"orleans-config/route-hosts: \"{hosts}\"")}
            {(path is null ? "" : $"orleans-config/route-path: \"{path}\"")}
        spec:
          ports:
          - name: http
            port: 80

        """;

    /// <summary>Endpoints with one subset per backend port, all at 127.0.0.1, on the port named http.</summary>
    private static string Endpoints(string ns, string name, params int[] ports) => $"""
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: {name}
          namespace: {ns}
        subsets:

        """ + string.Concat(ports.Select(port => $"""
        - addresses:
          - ip: 127.0.0.1
          ports:
          - name: http
            port: {port}

        """));

    private async Task Cli(params string[] args)
    {
        var result = await gateway.Silo.Cli(args);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task Apply(string source, params string[] documents)
    {
        var path = Path.Combine(_files, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, string.Join("\n---\n", documents));
        await Cli("apply", "--source", source, "-f", path);
    }

    /// <summary>The status and body of one request through the gateway.</summary>
    private async Task<(HttpStatusCode Status, string Body)> Get(string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Address, path));
        if (host is not null) request.Headers.Host = host;
        using var response = await gateway.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> Eventually200(string path, Func<string, bool> body, string what, string? host = null)
    {
        var (_, last) = await Eventually.Get(
            () => Get(path, host), r => r.Status == HttpStatusCode.OK && body(r.Body), Timeout, $"{what}; {gateway.Output}");
        return last;
    }

    private async Task<string[]> BackendsOf(string path, int requests)
    {
        List<string> seen = [];
        for (var i = 0; i < requests; i++)
        {
            var (status, body) = await Get(path);
            Assert.True(status == HttpStatusCode.OK, $"{status} {body}");
            seen.Add(body.Split(' ')[0]);
        }
        return [.. seen];
    }

    [Fact]
    public async Task Service_path_requests_round_robin_over_the_ready_addresses_without_the_prefix_and_a_removed_one_gets_none()
    {
        const string ns = "yarp-rr";
        int[] ports = [gateway.Backends[0], gateway.Backends[1]];
        await Apply("yarp-e2e", Service(ns, "echo"), Endpoints(ns, "echo", ports));
        await Eventually.Get(
            async () => (await BackendsOf($"/{ns}/echo/", 4)).Distinct().Count() == 2, ok => ok, Timeout, $"both backends; {gateway.Output}");

        var (status, body) = await Get($"/{ns}/echo/hello/world?x=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith(" /hello/world?x=1", body, StringComparison.Ordinal);
        var spread = await BackendsOf($"/{ns}/echo/", 6);
        Assert.Equal([3, 3], spread.GroupBy(p => p).Select(g => g.Count()));
        Assert.Equal(spread[..2], spread[2..4]);

        // The CLI takes one address out of the Endpoints: the next requests all go to the other.
        await Apply("yarp-e2e", Endpoints(ns, "echo", ports[0]));
        var kept = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.Get(
            async () => (await BackendsOf($"/{ns}/echo/", 1))[0] == kept, ok => ok, Timeout, $"the removed address to go; {gateway.Output}");
        Assert.All(await BackendsOf($"/{ns}/echo/", 6), p => Assert.Equal(kept, p));

        // Deleted, the service's route goes with it.
        await Cli("delete", "--source", "yarp-e2e", "service", $"{ns}/echo");
        await Eventually.Get(() => Get($"/{ns}/echo/"), r => r.Status == HttpStatusCode.NotFound, Timeout, "the route to go");
    }

    [Fact]
    public async Task Annotation_routes_match_their_hosts_and_path_and_follow_a_changed_annotation()
    {
        const string ns = "yarp-routes";
        var port = gateway.Backends[2];
        await Apply("yarp-e2e", Service(ns, "api", hosts: "api.test, www.api.test", path: "/v1/{**rest}"), Endpoints(ns, "api", port));

        var body = await Eventually200("/v1/items", _ => true, "the annotation route", host: "api.test");
        Assert.Equal($"{port} /v1/items", body);
        Assert.Equal(HttpStatusCode.OK, (await Get("/v1/items", host: "www.api.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/v1/items", host: "other.test")).Status);

        await Apply("yarp-e2e", Service(ns, "api", hosts: "api.test", path: "/v2/{**rest}"));

        Assert.Equal($"{port} /v2/items", await Eventually200("/v2/items", _ => true, "the changed route", host: "api.test"));
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/v1/items", host: "api.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/v2/items", host: "www.api.test")).Status);
    }

    [Fact]
    public async Task A_service_from_two_sources_is_served_by_the_source_first_in_priority_then_by_the_other_when_it_goes()
    {
        const string ns = "yarp-prio";
        var (low, high) = (gateway.Backends[0], gateway.Backends[1]);
        // yarp-low sorts first alphabetically; the gateway's --priority puts yarp-high first.
        await Apply("yarp-low", Service(ns, "web"), Endpoints(ns, "web", low));
        await Eventually200($"/{ns}/web/", b => b.StartsWith($"{low} ", StringComparison.Ordinal), "the only source's backend");
        await Apply("yarp-high", Service(ns, "web"), Endpoints(ns, "web", high));

        await Eventually200($"/{ns}/web/", b => b.StartsWith($"{high} ", StringComparison.Ordinal), "the priority source's backend");
        Assert.All(await BackendsOf($"/{ns}/web/", 4), p => Assert.Equal(high.ToString(System.Globalization.CultureInfo.InvariantCulture), p));

        await Cli("delete", "--source", "yarp-high", "service", $"{ns}/web");
        await Eventually200($"/{ns}/web/", b => b.StartsWith($"{low} ", StringComparison.Ordinal), "the other source's backend");
    }

    [Fact]
    public async Task A_route_of_yarps_own_configuration_reaches_a_cluster_of_the_catalog_once_it_exists()
    {
        const string ns = "yarp-static";
        // Before the service exists the route has no cluster: YARP answers 503.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get("/static/page")).Status);

        await Apply("yarp-e2e", Service(ns, "web"), Endpoints(ns, "web", gateway.Backends[2]));

        Assert.Equal($"{gateway.Backends[2]} /static/page", await Eventually200("/static/page", _ => true, "the static route's cluster"));
    }
}
