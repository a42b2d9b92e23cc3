using System.Text.Json;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>Fields Kubernetes does not know: <c>apply|replace --validate</c>, and the file source's warning and strict setting.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FieldValidationEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempFolder _files = new("oc-fields-");

    public void Dispose() => _files.Dispose();

    private static string Typo(string name, string ns = "default") => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          sessionAffinty: ClientIP
          ports:
          - port: 80
        """;

    private string NewFile(string text) => _files.Write(text);

    private async Task<string[]> Services(string source)
    {
        var result = await silo.Cli("get", "services", "--source", source, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return ListJson.Items(result.Stdout);
    }

    [Fact]
    public async Task Apply_warns_of_each_unknown_field_by_default_and_applies()
    {
        var apply = await silo.Cli("apply", "--source", "e2e-warn", "-f", NewFile(Typo("typo")));

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("Warning: unknown field \"spec.sessionAffinty\"", apply.Stderr.Trim());
        Assert.StartsWith("source e2e-warn: applied 1 service(s)", apply.Stdout);
        Assert.Equal(["Service default/typo@e2e-warn"], await Services("e2e-warn"));

        var warn = await silo.Cli("replace", "--source", "e2e-warn", "--validate=warn", "-f", NewFile(Typo("typo2")));
        Assert.True(warn.ExitCode == 0, warn.ToString());
        Assert.Equal("Warning: unknown field \"spec.sessionAffinty\"", warn.Stderr.Trim());
        Assert.Equal(["Service default/typo2@e2e-warn"], await Services("e2e-warn"));
    }

    [Theory]
    [InlineData("--validate=strict")]
    [InlineData("--validate=true")]
    [InlineData("--validate")]
    public async Task Strict_refuses_the_input_naming_each_unknown_field(string flag)
    {
        var path = NewFile(Typo("refused"));
        var apply = await silo.Cli("apply", "--source", "e2e-strict", flag, "-f", path);
        var replace = await silo.Cli("replace", "--source", "e2e-strict", flag, "-f", path);

        foreach (var result in new[] { apply, replace })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Equal($"{path}: spec.sessionAffinty: unknown field", result.Stderr.Trim());
            Assert.Empty(result.Stdout);
        }
        Assert.Empty(await Services("e2e-strict"));
    }

    [Theory]
    [InlineData("--validate=ignore")]
    [InlineData("--validate=false")]
    public async Task Ignore_applies_without_a_word(string flag)
    {
        var apply = await silo.Cli("apply", "--source", "e2e-ignore", flag, "-f", NewFile(Typo("quiet")));

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Empty(apply.Stderr);
        Assert.Contains("Service default/quiet@e2e-ignore", await Services("e2e-ignore"));
    }

    [Fact]
    public async Task A_bad_validate_value_is_a_usage_error()
    {
        var apply = await silo.Cli("apply", "--source", "e2e-bad", "--validate=maybe", "-f", NewFile(Typo("x")));

        Assert.True(apply.ExitCode == 2, apply.ToString());
        Assert.Contains("--validate: must be strict, warn or ignore (or true, false), got \"maybe\"", apply.Stderr);
    }

    [Fact]
    public async Task The_file_source_serves_a_file_with_unknown_fields_and_shows_the_warning_until_it_is_fixed()
    {
        var path = Path.Combine(silo.WatchedDirectory, "typo.yaml");
        await File.WriteAllTextAsync(path, Typo("typo", ns: "fields"));

        var status = await Eventually.Get(() => silo.SourceStatus("file"),
            s => s.GetProperty("lastWarning").GetString() is { } w && w.Contains("typo.yaml"), Timeout, "the file source's warning");
        Assert.Equal($"{path}: unknown field \"spec.sessionAffinty\"", status.GetProperty("lastWarning").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastError").ValueKind);
        Assert.Contains("Service fields/typo@file", await Services("file"));
        var table = await silo.Cli("sources");
        Assert.Matches(@"(?m)^file\s.*<none>\s+.*typo\.yaml: unknown field ""spec\.sessionAffinty""$", table.Stdout);

        await File.WriteAllTextAsync(path,
            Typo("typo", ns: "fields").Replace("sessionAffinty", "sessionAffinity", StringComparison.Ordinal));
        await Eventually.Get(() => silo.SourceStatus("file"), s =>
            s.GetProperty("lastWarning").ValueKind == JsonValueKind.Null, Timeout, "the warning to clear");
        File.Delete(path);
        await Eventually.Get(() => Services("file"), s =>
            !s.Contains("Service fields/typo@file"), Timeout, "the removed file's service to go");
    }

    [Fact]
    public async Task With_strict_field_validation_the_file_source_keeps_the_last_good_content_and_names_the_field()
    {
        var strict = new SiloProcess { ExtraArgs = ["--OrleansConfig:Validation:FieldValidation=Strict"] };
        await strict.InitializeAsync();
        try
        {
            var path = Path.Combine(strict.WatchedDirectory, "strict.yaml");
            var good = Typo("strict", ns: "fields").Replace("sessionAffinty", "sessionAffinity", StringComparison.Ordinal);
            await File.WriteAllTextAsync(path, good);
            await Eventually.Get(() => strict.SourceStatus("file"), s =>
                s.GetProperty("services").GetInt32() == 6, Timeout, "the good file");

            await File.WriteAllTextAsync(path, Typo("strict", ns: "fields").Replace("port: 80", "port: 81", StringComparison.Ordinal));
            var status = await Eventually.Get(() => strict.SourceStatus("file"),
                s => s.GetProperty("lastError").GetString() is { } e && e.Contains("strict.yaml"), Timeout, "the refused file");
            Assert.Equal($"{path}: spec.sessionAffinty: unknown field", status.GetProperty("lastError").GetString());
            Assert.Equal(JsonValueKind.Null, status.GetProperty("lastWarning").ValueKind);
            var served = await strict.Cli("get", "services", "--source", "file", "-o", "json");
            Assert.Contains("\"port\":80", served.Stdout.Replace(" ", "", StringComparison.Ordinal));
            Assert.DoesNotContain("\"port\":81", served.Stdout.Replace(" ", "", StringComparison.Ordinal));
        }
        finally
        {
            await strict.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_field_validation_setting_stops_the_silo_naming_the_key()
    {
        var ports = FreePorts.Take(2);
        using var bad = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=",
            "--OrleansConfig:Validation:FieldValidation=Loose",
        ]);
        Assert.True(await bad.WaitForExitAsync(TimeSpan.FromSeconds(60)), bad.Describe());

        Assert.NotEqual(0, bad.ExitCode);
        Assert.Equal("error: OrleansConfig:Validation:FieldValidation: must be Strict, Warn or Ignore, got \"Loose\"", bad.Stderr.Trim());
    }
}
