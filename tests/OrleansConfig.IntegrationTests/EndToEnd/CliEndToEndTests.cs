using System.Diagnostics;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The real CLI against a real silo process: what a person at a terminal sees.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CliEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>, IDisposable
{
    private static readonly string[] ExampleServices =
    [
        "Service default/db@file", "Service default/web@file",
        "Service shop/cart@file", "Service shop/frontend@file", "Service shop/payments@file",
    ];

    private static readonly string[] ExampleEndpoints =
    [
        "Endpoints default/db@file", "Endpoints default/web@file", "Endpoints shop/cart@file", "Endpoints shop/frontend@file",
    ];

    private readonly TempFolder _files = new("oc-cli-");

    public void Dispose() => _files.Dispose();

    private string NewFile(string name, params string[] documents) => _files.Write(ManifestText.Join(documents), $"-{name}");

    private async Task<string[]> Services(string? source = null)
    {
        var result = source is null
            ? await silo.Cli("get", "services", "-o", "json")
            : await silo.Cli("get", "services", "--source", source, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return ListJson.Items(result.Stdout);
    }

    private async Task<string[]> Endpoints(string? source = null)
    {
        var result = source is null
            ? await silo.Cli("get", "endpoints", "-o", "json")
            : await silo.Cli("get", "endpoints", "--source", source, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return ListJson.Items(result.Stdout);
    }

    [Fact]
    public async Task Get_services_shows_the_watched_examples_as_a_table_and_as_json()
    {
        var table = await silo.Cli("get", "services");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAMESPACE\s+NAME\s+SOURCE\s+TYPE\s+CLUSTER-IP\s+PORT\(S\)$", lines[0]);
        Assert.Contains(lines, l =>
            System.Text.RegularExpressions.Regex.IsMatch(l, @"^default\s+web\s+file\s+ClusterIP\s+10\.96\.0\.10\s+80/TCP$"));
        Assert.Contains(lines, l =>
            System.Text.RegularExpressions.Regex.IsMatch(l, @"^shop\s+frontend\s+file\s+NodePort\s+<none>\s+80:30080/TCP$"));
        Assert.Equal(ExampleServices, (await Services("file")));
    }

    [Fact]
    public async Task Get_endpoints_shows_the_watched_examples()
    {
        var table = await silo.Cli("get", "endpoints");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"(?m)^default\s+web\s+file\s+10\.244\.1\.5:8080,10\.244\.2\.7:8080$", table.Stdout);
        Assert.Equal(ExampleEndpoints, await Endpoints("file"));
    }

    [Fact]
    public async Task Apply_adds_the_file_items_to_the_source_and_keeps_the_rest()
    {
        var file = NewFile("a.yaml", ManifestText.Service("api"), ManifestText.Endpoints("api", "10.1.0.1"));
        var second = NewFile("b.yaml", ManifestText.Service("api", ns: "shop"));

        var first = await silo.Cli("apply", "--source", "e2e-apply", "-f", file);
        var again = await silo.Cli("apply", "--source", "e2e-apply", "-f", second);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("source e2e-apply: applied 1 service(s) and 1 endpoints", first.Stdout);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["Service default/api@e2e-apply", "Service shop/api@e2e-apply"], await Services("e2e-apply"));
        Assert.Equal(["Endpoints default/api@e2e-apply"], await Endpoints("e2e-apply"));
        Assert.Contains("Service shop/api@e2e-apply", await Services());
    }

    [Fact]
    public async Task Apply_reads_standard_input()
    {
        var result =
            await EndToEnd.Cli.RunAsync(["--gateway", silo.Gateway, "apply", "--source", "e2e-stdin", "-f", "-"],
            ManifestText.Service("from-stdin"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Service default/from-stdin@e2e-stdin"], await Services("e2e-stdin"));
    }

    /// <summary>The shape of <c>kubectl get endpointslices -A -o yaml</c>: a v1 List of discovery.k8s.io/v1 items.</summary>
    private const string KubectlSlices = """
        apiVersion: v1
        items:
        - addressType: IPv4
          apiVersion: discovery.k8s.io/v1
          endpoints:
          - addresses:
            - 10.244.0.5
            conditions:
              ready: true
              serving: true
              terminating: false
            nodeName: kind-worker
            targetRef:
              kind: Pod
              name: web-7d4b9c6f5-2xkqp
              namespace: shop
              uid: 5b0b7c3e-61a4-4a8e-9f3d-1c2b3a4d5e6f
          - addresses:
            - 10.244.0.6
            conditions:
              ready: false
              serving: true
              terminating: true
            nodeName: kind-worker
          kind: EndpointSlice
          metadata:
            creationTimestamp: "2026-12-05T09:10:02Z"
            generateName: web-
            generation: 3
            labels:
              endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
              kubernetes.io/service-name: web
            managedFields:
            - apiVersion: discovery.k8s.io/v1
              fieldsType: FieldsV1
              fieldsV1:
                f:addressType: {}
              manager: kube-controller-manager
              operation: Update
              time: "2026-12-05T09:12:44Z"
            name: web-abc12
            namespace: shop
            ownerReferences:
            - apiVersion: v1
              blockOwnerDeletion: true
              controller: true
              kind: Service
              name: web
              uid: 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d
            resourceVersion: "48213"
            uid: 1d2c3b4a-5f6e-4d8c-9b0a-1f2e3d4c5b6a
          ports:
          - name: http
            port: 8080
            protocol: TCP
        - addressType: IPv4
          apiVersion: discovery.k8s.io/v1
          endpoints:
          - addresses:
            - 10.244.1.7
            conditions:
              ready: true
          kind: EndpointSlice
          metadata:
            generateName: web-
            labels:
              kubernetes.io/service-name: web
            name: web-xyz89
            namespace: shop
          ports:
          - name: http
            port: 8080
            protocol: TCP
        kind: List
        metadata:
          resourceVersion: ""
        """;

    [Fact]
    public async Task Kubectl_endpointslices_apply_from_standard_input_and_serve_as_their_services_endpoints()
    {
        var applied = await EndToEnd.Cli.RunAsync(
            ["--gateway", silo.Gateway, "apply", "--source", "e2e-eps", "--validate=strict", "-f", "-"], KubectlSlices);
        var endpoints = await silo.Cli("get", "endpoints", "web", "-n", "shop", "--source", "e2e-eps", "-o", "json");
        var slices = await silo.Cli("get", "eps", "-n", "shop", "--source", "e2e-eps");
        var deleted = await silo.Cli("delete", "--source", "e2e-eps", "endpointslice", "shop/web-xyz89");
        var after = await silo.Cli("get", "endpoints", "--source", "e2e-eps", "-o", "json");
        var deletedAll = await EndToEnd.Cli.RunAsync(["--gateway", silo.Gateway, "delete", "--source", "e2e-eps", "-f", "-"], KubectlSlices);

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("source e2e-eps: applied 0 service(s), 0 endpoints and 2 endpointslice(s) (sequence 1)\n", applied.Stdout);
        Assert.True(endpoints.ExitCode == 0, endpoints.ToString());
        var merged = Manifest.Parse(endpoints.Stdout).Endpoints.Single();
        var subset = merged.Subsets.Single();
        Assert.Equal(["10.244.0.5", "10.244.1.7"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal(["10.244.0.6"], subset.NotReadyAddresses.Select(a => a.Ip));
        Assert.Equal([new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }], subset.Ports);
        Assert.Equal(["Endpoints shop/web@e2e-eps"], ListJson.Items(endpoints.Stdout));
        Assert.True(slices.ExitCode == 0, slices.ToString());
        Assert.Equal(
            ["NAMESPACE   NAME        SOURCE    ADDRESSTYPE   PORTS   ENDPOINTS", "shop        web-abc12   e2e-eps   IPv4          8080    10.244.0.5,10.244.0.6",
                "shop        web-xyz89   e2e-eps   IPv4          8080    10.244.1.7"],
            slices.Stdout.TrimEnd().Split('\n'));
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("source e2e-eps: deleted endpointslice shop/web-xyz89 (sequence 2)\n", deleted.Stdout);
        Assert.Equal(["10.244.0.5"], Manifest.Parse(after.Stdout).Endpoints.Single().Subsets.Single().Addresses.Select(a => a.Ip));
        Assert.True(deletedAll.ExitCode == 0, deletedAll.ToString());
        Assert.Equal("source e2e-eps: deleted 0 service(s), 0 endpoints and 2 endpointslice(s) (sequence 3)\n", deletedAll.Stdout);
        Assert.Empty(await Endpoints("e2e-eps"));
    }

    [Fact]
    public async Task Apply_of_a_directory_reads_every_manifest_in_it()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_files.Path, "dir")).FullName;
        File.WriteAllText(Path.Combine(directory, "one.yaml"), ManifestText.Service("one"));
        File.WriteAllText(Path.Combine(directory, "two.yml"), ManifestText.Service("two"));
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "not a manifest");

        var result = await silo.Cli("apply", "--source", "e2e-dir", "-f", directory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Service default/one@e2e-dir", "Service default/two@e2e-dir"], await Services("e2e-dir"));
    }

    [Fact]
    public async Task Replace_makes_the_file_the_whole_state_of_the_source()
    {
        await silo.Cli("apply", "--source", "e2e-replace", "-f",
            NewFile("a.yaml", ManifestText.Service("old"), ManifestText.Endpoints("old", "10.2.0.1")));
        Assert.Equal(["Service default/old@e2e-replace"], await Services("e2e-replace"));

        var result = await silo.Cli("replace", "--source", "e2e-replace", "-f", NewFile("b.yaml", ManifestText.Service("new")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("source e2e-replace: replaced with 1 service(s) and 0 endpoints", result.Stdout);
        Assert.Equal(["Service default/new@e2e-replace"], await Services("e2e-replace"));
        Assert.Empty(await Endpoints("e2e-replace"));
        Assert.Equal(ExampleServices, await Services("file"));
    }

    [Fact]
    public async Task Remove_source_takes_a_source_out_of_the_union()
    {
        await silo.Cli("apply", "--source", "e2e-removed", "-f",
            NewFile("r.yaml", ManifestText.Service("r1"), ManifestText.Endpoints("r1", "10.4.0.1")));
        Assert.Equal(["Service default/r1@e2e-removed"], await Services("e2e-removed"));

        var removed = await silo.Cli("remove-source", "e2e-removed");
        var again = await silo.Cli("remove-source", "e2e-removed");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("source e2e-removed: removed from the union", removed.Stdout);
        Assert.Empty(await Services("e2e-removed"));
        Assert.Empty(await Endpoints("e2e-removed"));
        Assert.DoesNotContain("e2e-removed", (await silo.Cli("sources")).Stdout);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("not in the union; nothing changed", again.Stdout);
    }

    [Fact]
    public async Task Forced_replace_is_a_replace()
    {
        await silo.Cli("apply", "--source", "e2e-forced", "-f", NewFile("f.yaml", ManifestText.Service("a"), ManifestText.Service("b")));

        var result = await silo.Cli("replace", "--force", "--source", "e2e-forced", "-f", NewFile("g.yaml", ManifestText.Service("c")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Service default/c@e2e-forced"], await Services("e2e-forced"));
    }

    [Fact]
    public async Task Delete_removes_one_item_from_one_source()
    {
        await silo.Cli("apply", "--source", "e2e-delete", "-f",
            NewFile("a.yaml", ManifestText.Service("keep"), ManifestText.Service("gone"), ManifestText.Endpoints("gone", "10.3.0.1")));

        var result = await silo.Cli("delete", "--source", "e2e-delete", "service", "default/gone");
        var missing = await silo.Cli("delete", "--source", "e2e-delete", "service", "default/never-there");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("source e2e-delete: deleted service default/gone", result.Stdout);
        Assert.Equal(["Service default/keep@e2e-delete"], await Services("e2e-delete"));
        Assert.Equal(["Endpoints default/gone@e2e-delete"], await Endpoints("e2e-delete"));
        Assert.True(missing.ExitCode == 0, missing.ToString());
        Assert.Contains("not found; nothing changed", missing.Stdout);

        var endpoints = await silo.Cli("delete", "endpoints", "gone", "--source", "e2e-delete");
        Assert.True(endpoints.ExitCode == 0, endpoints.ToString());
        Assert.Empty(await Endpoints("e2e-delete"));
    }

    [Fact]
    public async Task Json_output_round_trips_through_replace()
    {
        var exported = await silo.Cli("get", "services", "--source", "file", "-o", "json");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var file = NewFile("export.json", exported.Stdout);

        var result = await silo.Cli("replace", "--source", "e2e-copy", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(ExampleServices.Select(s => s.Replace("@file", "@e2e-copy")), await Services("e2e-copy"));
        var copied = await silo.Cli("get", "services", "--source", "e2e-copy", "-o", "json");
        Assert.Equal(exported.Stdout.Replace("\"file\"", "\"e2e-copy\""), copied.Stdout);
    }

    [Fact]
    public async Task A_bad_manifest_exits_1_with_the_field_error_and_changes_nothing()
    {
        await silo.Cli("apply", "--source", "e2e-bad", "-f", NewFile("good.yaml", ManifestText.Service("good")));
        var bad = NewFile("bad.yaml", ManifestText.Service("fine"), ManifestText.Service("wrong", port: 70000));

        var result = await silo.Cli("replace", "--source", "e2e-bad", "-f", bad);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{bad}: documents[1].spec.ports[0].port: must be between 1 and 65535, got 70000", result.Stderr.Trim());
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.Equal(["Service default/good@e2e-bad"], await Services("e2e-bad"));
    }

    [Fact]
    public async Task Sources_lists_each_source_with_its_counts()
    {
        await silo.Cli("apply", "--source", "e2e-sources", "-f",
            NewFile("a.yaml", ManifestText.Service("a"), ManifestText.Endpoints("a", "10.4.0.1")));

        var table = await silo.Cli("sources");
        var file = await silo.SourceStatus("file");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"^NAME\s+SERVICES\s+ENDPOINTS\s+SYNCED\s+LAST CHANGE\s+LAST HEARD\s+STALE\s+ERROR\s+WARNING\n", table.Stdout);
        Assert.Matches(@"(?m)^e2e-sources\s+1\s+1\s+true\s+\d+s\s+\d+s\s+false\s+<none>\s+<none>$", table.Stdout);
        Assert.Equal(5, file.GetProperty("services").GetInt32());
        Assert.Equal(4, file.GetProperty("endpoints").GetInt32());
        Assert.True(file.GetProperty("synced").GetBoolean());
    }

    [Fact]
    public async Task Watch_json_prints_the_union_then_a_line_for_each_change()
    {
        using var watch = silo.StartCli("watch", "services", "-o", "json");
        var first = await watch.ReadLineUntilAsync(line => line.StartsWith('{'), TimeSpan.FromSeconds(30));
        Assert.Contains("Service default/web@file", ListJson.Items(first));

        var applied = await silo.Cli("apply", "--source", "e2e-watch", "-f", NewFile("w.yaml", ManifestText.Service("watched")));
        Assert.True(applied.ExitCode == 0, applied.ToString());

        var line = await watch.ReadLineUntilAsync(l => l.Contains("\"watched\""), TimeSpan.FromSeconds(30));
        Assert.Contains("Service default/watched@e2e-watch", ListJson.Items(line));
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task Watch_table_to_a_pipe_prints_a_separator_and_the_table_for_each_change()
    {
        using var watch = silo.StartCli("watch", "endpoints");
        await watch.ReadLineUntilAsync(line =>
            line.StartsWith("--- ", StringComparison.Ordinal) && line.Contains("union version"), TimeSpan.FromSeconds(30));
        await watch.ReadLineUntilAsync(line => line.StartsWith("NAMESPACE", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        await silo.Cli("apply", "--source", "e2e-watch-table", "-f",
            NewFile("w.yaml", ManifestText.Endpoints("watched-table", "10.5.0.1")));

        await watch.ReadLineUntilAsync(line =>
            System.Text.RegularExpressions.Regex.IsMatch(line, @"^default\s+watched-table\s+e2e-watch-table\s+10\.5\.0\.1:8080$"),
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Watch_stops_cleanly_on_sigterm()
    {
        using var watch = silo.StartCli("watch", "services", "-o", "json");
        await watch.ReadLineUntilAsync(line => line.StartsWith('{'), TimeSpan.FromSeconds(30));

        watch.Terminate();

        Assert.True(await watch.WaitForExitAsync(TimeSpan.FromSeconds(10)), watch.Describe());
        Assert.Equal(143, watch.ExitCode); // 128 + SIGTERM, the shell's convention for a command stopped by a signal
        Assert.DoesNotContain("   at ", watch.Stderr);
    }

    [Fact]
    public async Task A_usage_error_exits_2()
    {
        var unknown = await silo.Cli("get", "pods");
        var noSource = await silo.Cli("apply", "-f", "x.yaml");
        var badSource = await silo.Cli("delete", "--source", "Not_Valid", "service", "default/web");
        var badOutput = await silo.Cli("get", "services", "-o", "xml");

        Assert.All([unknown, noSource, badSource, badOutput], r => Assert.True(r.ExitCode == 2, r.ToString()));
        Assert.Contains("Option '--source' is required", noSource.Stderr);
        Assert.Contains("--source: \"Not_Valid\" must consist of", badSource.Stderr);
    }

    [Fact]
    public async Task An_unreachable_gateway_exits_3_within_10_seconds()
    {
        var port = FreePorts.Take(1)[0];
        var clock = Stopwatch.StartNew();

        var result = await EndToEnd.Cli.RunAsync(["--gateway", $"127.0.0.1:{port}", "get", "services"]);

        Assert.Equal(3, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.StartsWith($"error: cannot reach the cluster at 127.0.0.1:{port}: ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
