using System.Net;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.Tests.Proxy;

namespace OrleansConfig.IntegrationTests.Proxy;

/// <summary>
/// The whole path a person runs: a silo process, <c>orleans-config proxy</c> as a process, three real echo backends on
/// loopback, and the union changed underneath with <c>apply</c> and <c>delete</c>. Each test keeps to its own namespace.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ProxyEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>, IAsyncLifetime
{
    private readonly string _files = Directory.CreateTempSubdirectory("oc-proxy-").FullName;
    private EchoBackend[] _backends = [];

    public Task InitializeAsync()
    {
        _backends = [EchoBackend.Start("a"), EchoBackend.Start("b"), EchoBackend.Start("c")];
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends) await backend.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    private async Task Apply(string source, string yaml)
    {
        var path = Path.Combine(_files, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var result = await silo.Cli("apply", "--source", source, "-f", path);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static async Task<string[]> Connect(IPEndPoint proxy, int connections)
    {
        List<string> seen = [];
        for (var i = 0; i < connections; i++) seen.Add(await EchoClient.BackendOf(proxy));
        return [.. seen];
    }

    private static Dictionary<string, int> Count(IEnumerable<string> names) =>
        names.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task The_proxy_spreads_connections_round_robin_follows_endpoint_changes_and_closes_a_deleted_service()
    {
        const string ns = "proxy-e2e";
        using var proxy = ProxyProcess.Start(silo, "--namespace", ns);
        try
        {
            var ports = _backends.Select(b => b.Port).ToArray();
            await Apply("e2e-proxy",
                ManifestText.Join(ManifestText.Service("echo", ns, type: "ClusterIP"), ManifestText.LoopbackEndpoints("echo", ns, ports)));

            var listen = await proxy.OpenedAsync($"{ns}/echo");
            Assert.Equal(IPAddress.Loopback, listen.Address);
            await proxy.WaitForBackendsAsync($"{ns}/echo", ports);

            // Nine connections, three backends: exactly three each, in rotation.
            var first = await Connect(listen, 9);
            Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 3, ["c"] = 3 }, Count(first));
            Assert.Equal(first[..3], first[3..6]);
            Assert.Equal([3, 3, 3], _backends.Select(b => b.Accepted));

            var table = await proxy.ListAsync();
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Matches(@"^NAMESPACE\s+NAME\s+PORT-NAME\s+SOURCE\s+LISTEN\s+BACKENDS\n", table.Stdout);
            Assert.Matches(
                $@"\n{ns}\s+echo\s+<unset>\s+e2e-proxy\s+{Regex(listen.ToString())}\s+127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\n",
                table.Stdout);

            // A connection held open across the changes below.
            using var held = await EchoClient.ConnectAsync(listen);

            // One endpoint goes: no new connection reaches it, the other two share the load, the listener stays.
            var removed = _backends.Single(b => b.Name == "b");
            var kept = _backends.Where(b => b != removed).Select(b => b.Port).ToArray();
            var removedBefore = removed.Accepted;
            await Apply("e2e-proxy", ManifestText.LoopbackEndpoints("echo", ns, kept));
            await proxy.WaitForBackendsAsync($"{ns}/echo", kept);

            var second = await Connect(listen, 6);
            Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["c"] = 3 }, Count(second));
            Assert.Equal(removedBefore, removed.Accepted);

            // The Service goes: its port closes (connects are refused); the open connection drains undisturbed.
            var deleted = await silo.Cli("delete", "--source", "e2e-proxy", "service", $"{ns}/echo");
            Assert.True(deleted.ExitCode == 0, deleted.ToString());
            var closed = await proxy.ClosedAsync($"{ns}/echo");
            Assert.Contains(listen.ToString(), closed);
            Assert.Equal("refused", await EchoClient.Rejection(listen));
            Assert.Equal("still open", await held.EchoAsync("still open"));
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{proxy.Describe()}");
        }
    }

    [Fact]
    public async Task A_service_from_two_sources_is_served_from_the_priority_source_and_the_conflict_is_logged_once()
    {
        const string ns = "proxy-dup";
        var nodePorts = FreePorts.Take(2);
        using var proxy = ProxyProcess.Start(silo, "--namespace", ns, "--priority", "e2e-beta");
        var (a, b, c) = (_backends[0], _backends[1], _backends[2]);

        await Apply("e2e-alpha", ManifestText.Join(
            ManifestText.Service("dup", ns, type: "NodePort", nodePort: nodePorts[0]), ManifestText.LoopbackEndpoints("dup", ns, a.Port)));
        await Apply("e2e-beta", ManifestText.Join(
            ManifestText.Service("dup", ns, type: "NodePort", nodePort: nodePorts[1]), ManifestText.LoopbackEndpoints("dup", ns, b.Port)));

        await proxy.WaitForBackendsAsync($"{ns}/dup", b.Port);
        var list = await proxy.ListAsync("-o", "json");
        Assert.Contains($"\"listen\":\"127.0.0.1:{nodePorts[1]}\"", list.Stdout);
        Assert.Contains("\"source\":\"e2e-beta\"", list.Stdout);
        Assert.Equal(["b", "b", "b"], await Connect(new IPEndPoint(IPAddress.Loopback, nodePorts[1]), 3));
        Assert.Equal(0, a.Accepted);

        // More changes to the same conflict are not logged again.
        await Apply("e2e-beta", ManifestText.LoopbackEndpoints("dup", ns, b.Port, c.Port));
        await proxy.WaitForBackendsAsync($"{ns}/dup", b.Port, c.Port);
        await Eventually.Until(() =>
            proxy.Stderr.Contains("published by several sources", StringComparison.Ordinal), what: "the conflict to be logged");
        Assert.Single(proxy.Stderr.Split('\n'), l =>
            l.Contains($"Service {ns}/dup is published by several sources (e2e-beta, e2e-alpha); using e2e-beta's",
            StringComparison.Ordinal));
    }

    /// <summary>
    /// Endpoints with one subset per backend (each on its own loopback IP and port): <paramref name="ready"/> ones, and
    /// <paramref name="terminating"/> ones that are not ready but still serve, as the conditions annotation says.
    /// </summary>
    private static string RollingEndpoints(string name, string ns, EchoBackend[] ready, EchoBackend[] terminating)
    {
        List<string> lines = ["apiVersion: v1", "kind: Endpoints", "metadata:", $"  name: {name}", $"  namespace: {ns}"];
        if (terminating.Length > 0)
        {
            var conditions = string.Join(",",
                terminating.Select(b => $"\"{b.EndPoint.Address}\":{{\"serving\":true,\"terminating\":true}}"));
            lines.AddRange(["  annotations:", $"    endpoints.orleans-config.io/conditions: '{{{conditions}}}'"]);
        }
        lines.Add("subsets:");
        foreach (var (backend, list) in ready.Select(b => (b, "addresses")).Concat(terminating.Select(b => (b, "notReadyAddresses"))))
        {
            lines.AddRange([$"- {list}:", $"  - ip: {backend.EndPoint.Address}", "  ports:", $"  - port: {backend.Port}"]);
        }
        return string.Join("\n", lines);
    }

    [Fact]
    public async Task A_rolling_update_through_the_proxy_loses_no_connection_attempt()
    {
        const string ns = "proxy-rolling";
        await using var old = EchoBackend.Start("old", IPAddress.Parse("127.0.0.2"));
        await using var fresh = EchoBackend.Start("new", IPAddress.Parse("127.0.0.3"));
        using var proxy = ProxyProcess.Start(silo, "--namespace", ns);
        await Apply("e2e-rolling",
            ManifestText.Join(ManifestText.Service("web", ns, type: "ClusterIP"), RollingEndpoints("web", ns, [old], [])));
        var listen = await proxy.OpenedAsync($"{ns}/web");
        await proxy.WaitForBackendsAsync($"{ns}/web", old.EndPoint);

        // Paced: the steps wait on CLI processes, seconds in all; the bound only ends a test gone wrong.
        var probe = ConnectionProbe.Start(listen, maxAttempts: 20_000, pace: TimeSpan.FromMilliseconds(2));
        try
        {
            await probe.WaitForMoreAsync(3, "to the ready old backend");

            // The old pod starts terminating before its replacement is ready: the proxy keeps sending it connections.
            await Apply("e2e-rolling", RollingEndpoints("web", ns, [], [old]));
            var draining = await Eventually.Get(() => proxy.ListAsync(), r => r.Stdout.Contains("(terminating)", StringComparison.Ordinal),
                ProxyProcess.Timeout, "--list to show the old backend terminating");
            await probe.WaitForMoreAsync(3, "while the old backend only terminates");

            await Apply("e2e-rolling", RollingEndpoints("web", ns, [fresh], [old]));
            await proxy.WaitForBackendsAsync($"{ns}/web", fresh.EndPoint);
            await probe.WaitForMoreAsync(3, "to the new backend while the old one still terminates");

            await Apply("e2e-rolling", RollingEndpoints("web", ns, [fresh], []));
            await probe.WaitForMoreAsync(3, "once the old backend is gone");
            await probe.StopAsync();

            Assert.Empty(probe.Failures);
            Assert.Matches(
                $@"\n{ns}\s+web\s+<unset>\s+e2e-rolling\s+{Regex(listen.ToString())}\s+127\.0\.0\.2:{old.Port} \(terminating\)\n",
                draining.Stdout);
            var seen = probe.Seen;
            var firstNew = seen.ToList().IndexOf("new");
            Assert.True(firstNew >= 6,
                $"the old backend took the attempts while it terminated: {seen.Count} seen, first new at {firstNew}");
            Assert.All(seen.Take(firstNew), s => Assert.Equal("old", s));
            Assert.All(seen.Skip(firstNew), s => Assert.Equal("new", s));
        }
        finally
        {
            await probe.StopAsync();
        }
    }

    [Fact]
    public async Task List_without_a_running_proxy_says_so_and_exits_3()
    {
        var result = await Cli.RunAsync(["proxy", "--list", "--control", $"127.0.0.1:{FreePorts.Take(1)[0]}"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("error: no proxy answers at 127.0.0.1:", result.Stderr);
    }

    [Fact]
    public async Task A_second_proxy_on_the_same_control_port_is_refused_at_once()
    {
        using var first = ProxyProcess.Start(silo, "--namespace", "proxy-none");
        await Eventually.Get(() => first.ListAsync(), r => r.ExitCode == 0, ProxyProcess.Timeout, "the first proxy to serve --list");

        var second = await silo.Cli("proxy", "--control", first.Control);

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains($"--control {first.Control}: cannot listen there", second.Stderr);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
