
namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The silo's file source, changed by writing files into the directory it watches.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FileSourceEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private async Task<string[]> FileServices()
    {
        var result = await silo.Cli("get", "services", "--source", "file", "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return ListJson.Items(result.Stdout);
    }

    private static string Service(string name, int port = 80) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: files
        spec:
          ports:
          - name: http
            port: {port}
            protocol: TCP
        """;

    [Fact]
    public async Task A_file_written_into_the_directory_appears_and_disappears_when_removed()
    {
        var path = Path.Combine(silo.WatchedDirectory, "added.yaml");

        await File.WriteAllTextAsync(path, Service("added"));
        await Eventually.Get(FileServices, s => s.Contains("Service files/added@file"), Timeout, "the added file's service");

        File.Delete(path);
        await Eventually.Get(FileServices, s => !s.Contains("Service files/added@file"), Timeout, "the removed file's service to go");
        Assert.Contains("Service default/web@file", await FileServices());
    }

    [Fact]
    public async Task An_endpointslice_file_serves_its_services_endpoints_and_its_removal_takes_them_away()
    {
        var path = Path.Combine(silo.WatchedDirectory, "sliced.yaml");
        async Task<string[]> FileEndpoints()
        {
            var result = await silo.Cli("get", "endpoints", "-n", "files", "--source", "file", "-o", "json");
            Assert.True(result.ExitCode == 0, result.ToString());
            return ListJson.Items(result.Stdout);
        }

        await File.WriteAllTextAsync(path, Service("sliced") + """

            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: sliced-v4
              namespace: files
              labels:
                kubernetes.io/service-name: sliced
            addressType: IPv4
            endpoints:
            - addresses: [10.5.0.1]
              conditions: {ready: true}
            - addresses: [10.5.0.2]
              conditions: {ready: false, serving: true, terminating: true}
            ports:
            - {name: http, port: 8080, protocol: TCP}
            """);
        await Eventually.Get(FileEndpoints, e => e.Contains("Endpoints files/sliced@file"), Timeout, "the slice file's endpoints");
        var json = await silo.Cli("get", "endpoints", "sliced", "-n", "files", "--source", "file", "-o", "json");
        var slices = await silo.Cli("get", "eps", "-n", "files", "--source", "file", "-o", "name");

        var subset = Manifest.Parse(json.Stdout).Endpoints.Single().Subsets.Single();
        Assert.Equal(["10.5.0.1"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal(["10.5.0.2"], subset.NotReadyAddresses.Select(a => a.Ip));
        Assert.Equal("endpointslice/files/sliced-v4@file\n", slices.Stdout);

        File.Delete(path);
        await Eventually.Get(FileEndpoints, e => !e.Contains("Endpoints files/sliced@file"), Timeout, "the slice file's endpoints to go");
    }

    [Fact]
    public async Task A_half_written_file_changes_nothing_until_it_is_fixed()
    {
        var path = Path.Combine(silo.WatchedDirectory, "half.yaml");
        await File.WriteAllTextAsync(path, Service("half-v1"));
        await Eventually.Get(FileServices, s => s.Contains("Service files/half-v1@file"), Timeout, "the first version");
        var before = await FileServices();

        // Cut off in the middle of a mapping, as a copy that has not finished would be.
        var full = Service("half-v2", port: 8080);
        await File.WriteAllTextAsync(path, full[..full.IndexOf("    port:", StringComparison.Ordinal)] + "    port: [80");

        var status = await Eventually.Get(() => silo.SourceStatus("file"),
            s => s.GetProperty("lastError").GetString() is { } e && e.Contains("half.yaml"), Timeout,
                "the file source to report the bad file");
        Assert.StartsWith($"{Path.Combine(silo.WatchedDirectory, "half.yaml")}: ", status.GetProperty("lastError").GetString());
        var table = await silo.Cli("sources");
        Assert.Contains("half.yaml", table.Stdout);
        Assert.Equal(before, await FileServices());

        await File.WriteAllTextAsync(path, full);
        await Eventually.Get(FileServices, s =>
            s.Contains("Service files/half-v2@file") && !s.Contains("Service files/half-v1@file"), Timeout, "the fixed file's service");
        await Eventually.Get(() => silo.SourceStatus("file"), s =>
            s.GetProperty("lastError").ValueKind == System.Text.Json.JsonValueKind.Null, Timeout, "the error to clear");
        File.Delete(path);
        await Eventually.Get(FileServices, s => !s.Contains("Service files/half-v2@file"), Timeout, "the removed file's service to go");
    }

    [Fact]
    public async Task The_same_item_in_two_files_is_reported_naming_both_and_served_once()
    {
        var first = Path.Combine(silo.WatchedDirectory, "dup-a.yaml");
        var second = Path.Combine(silo.WatchedDirectory, "dup-b.yaml");
        await File.WriteAllTextAsync(first, Service("dup"));
        await Eventually.Get(FileServices, s => s.Contains("Service files/dup@file"), Timeout, "the first file's service");

        await File.WriteAllTextAsync(second, Service("dup", port: 81));

        var status = await Eventually.Get(() => silo.SourceStatus("file"),
            s => s.GetProperty("lastError").GetString() is { } e && e.Contains("dup-b.yaml"), Timeout, "the clash to be reported");
        Assert.Contains($"{second}: service files/dup is also defined in {first}", status.GetProperty("lastError").GetString());
        Assert.Single(await FileServices(), s => s == "Service files/dup@file");

        File.Delete(second);
        File.Delete(first);
        await Eventually.Get(FileServices, s => !s.Contains("Service files/dup@file"), Timeout, "the services to go");
    }
}
