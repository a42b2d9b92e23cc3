using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Security;

/// <summary>
/// A silo with mutual TLS, driven by the CLI as each kind of caller: who may connect, who may write which source, who
/// may force or remove; the union is the same after every refusal.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TlsEndToEndTests(TlsSilo cluster) : IClassFixture<TlsSilo>, IDisposable
{
    // Connecting is bounded by the CLI's budget (5 s, at most 8); a refusal must come within it, not as a hang.
    private static readonly TimeSpan RefusalWithin = TimeSpan.FromSeconds(10);

    private readonly string _files = Directory.CreateTempSubdirectory("oc-tls-cli-").FullName;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    private string Manifest(string name) => Write($"{name}.yaml", $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          ports:
          - port: 80
        ---
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: {name}
        subsets:
        - addresses:
          - ip: 10.1.2.3
          ports:
          - port: 8080
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_files, $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The whole union as the admin reads it: every item of both kinds, with its source.</summary>
    private async Task<string> Union()
    {
        var services = await cluster.Silo.Cli("get", "services", "-o", "json");
        var endpoints = await cluster.Silo.Cli("get", "endpoints", "-o", "json");
        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.True(endpoints.ExitCode == 0, endpoints.ToString());
        return string.Join("\n", [.. ListJson.Items(services.Stdout), .. ListJson.Items(endpoints.Stdout)]);
    }

    private async Task AssertRefused(Task<CliResult> command, string expected, string unionBefore)
    {
        var result = await command;
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(expected, result.Stderr.Trim());
        Assert.Equal(unionBefore, await Union());
    }

    [Fact]
    public async Task A_client_without_a_certificate_cannot_connect_and_is_told_tls_refused_it()
    {
        var result = await cluster.Cli(null, "get", "services");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.True(result.Elapsed < RefusalWithin, result.ToString());
        Assert.Equal(
            $"error: cannot reach the cluster at {cluster.Silo.Gateway}: TLS refused the connection: the gateway closed it during the " +
                $"handshake, " +
            "as one that requires TLS does with a client that has no certificate (give --tls-cert, --tls-key and --tls-ca)",
            result.Stderr.Trim());
    }

    [Fact]
    public async Task A_client_whose_certificate_is_from_another_ca_cannot_connect_even_with_an_admin_name()
    {
        var result = await cluster.Cli(cluster.Stranger, "get", "services");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.True(result.Elapsed < RefusalWithin, result.ToString());
        Assert.StartsWith($"error: cannot reach the cluster at {cluster.Silo.Gateway}: TLS refused the connection", result.Stderr.Trim());
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_gateways_ca_does_not_connect()
    {
        var result =
            await EndToEnd.Cli.RunAsync(
            ["--gateway", cluster.Silo.Gateway, .. cluster.As(cluster.Admin, cluster.OtherCaFile), "get", "services"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"error: cannot reach the cluster at {cluster.Silo.Gateway}: TLS refused the connection", result.Stderr.Trim());
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task The_certificate_settings_can_come_from_the_environment()
    {
        var result = await EndToEnd.Cli.RunAsync(
            ["--gateway", cluster.Silo.Gateway, "get", "services", "--source", "file", "-o", "json"],
            environment: new Dictionary<string, string>
            {
                ["ORLEANS_CONFIG_TLS_CERT"] = cluster.Reader.CertFile,
                ["ORLEANS_CONFIG_TLS_KEY"] = cluster.Reader.KeyFile,
                ["ORLEANS_CONFIG_TLS_CA"] = cluster.CaFile,
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Service default/web@file", ListJson.Items(result.Stdout));
    }

    [Fact]
    public async Task A_reader_reads_everything_and_writes_nothing()
    {
        var before = await Union();

        var services = await cluster.Cli(cluster.Reader, "get", "services", "-o", "json");
        var sources = await cluster.Cli(cluster.Reader, "sources", "-o", "json");

        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.Contains("Service default/web@file", ListJson.Items(services.Stdout));
        Assert.True(sources.ExitCode == 0, sources.ToString());
        await AssertRefused(cluster.Cli(cluster.Reader, "apply", "--source", "manual", "-f", Manifest("r1")),
            "forbidden: reader may not write source manual", before);
        await AssertRefused(cluster.Cli(cluster.Reader, "replace", "--source", "file", "-f", Manifest("r2")),
            "forbidden: reader may not write source file", before);
        await AssertRefused(cluster.Cli(cluster.Reader, "delete", "--source", "file", "service", "default/web"),
            "forbidden: reader may not write source file", before);
        await AssertRefused(cluster.Cli(cluster.Reader, "remove-source", "file"),
            "forbidden: reader may not remove source file (only an admin may)", before);
    }

    [Fact]
    public async Task A_writer_writes_only_its_own_sources_and_may_neither_force_nor_remove()
    {
        var applied = await cluster.Cli(cluster.Writer, "apply", "--source", "manual", "-f", Manifest("w1"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var before = await Union();
        Assert.Contains("Service default/w1@manual", before);

        await AssertRefused(cluster.Cli(cluster.Writer, "apply", "--source", "other", "-f", Manifest("w2")),
            "forbidden: writer may not write source other", before);
        await AssertRefused(cluster.Cli(cluster.Writer, "apply", "--source", "file", "-f", Manifest("w3")),
            "forbidden: writer may not write source file", before);
        await AssertRefused(
            cluster.Cli(cluster.Writer, "replace", "--force", "--source", "manual", "-f", Manifest("w4")),
            "forbidden: writer may not force a replace of source manual (only an admin may)", before);
        await AssertRefused(cluster.Cli(cluster.Writer, "remove-source", "manual"),
            "forbidden: writer may not remove source manual (only an admin may)", before);
    }

    [Fact]
    public async Task A_writer_of_every_source_writes_any_source_but_does_not_remove_one()
    {
        var applied = await cluster.Cli(cluster.AnyWriter, "apply", "--source", "anything", "-f", Manifest("a1"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var before = await Union();
        Assert.Contains("Service default/a1@anything", before);

        await AssertRefused(cluster.Cli(cluster.AnyWriter, "remove-source", "anything"),
            "forbidden: any-writer may not remove source anything (only an admin may)", before);
    }

    [Fact]
    public async Task Only_an_admin_removes_a_source_and_forces_a_replace()
    {
        var applied = await cluster.Cli(cluster.Writer, "apply", "--source", "manual", "-f", Manifest("m1"));
        Assert.True(applied.ExitCode == 0, applied.ToString());

        var forced = await cluster.Cli(cluster.Admin, "replace", "--force", "--source", "manual", "-f", Manifest("m2"));
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("Service default/m2@manual", await Union());
        Assert.DoesNotContain("Service default/m1@manual", await Union());

        var removed = await cluster.Cli(cluster.Admin, "remove-source", "manual");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.DoesNotContain("@manual", await Union());
        Assert.Contains("Service default/web@file", await Union());
    }
}
