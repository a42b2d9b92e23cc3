
namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The README's client program (examples/WatchUnion), run as a new user runs it, against a silo process.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClientExampleTests(SiloProcess silo) : IClassFixture<SiloProcess>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"oc-example-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(_file);

    // The example takes the silo's defaults; only the gateway differs here (a free port), given as the CLI takes it.
    private ChildProcess StartExample(params string[] args) =>
        ChildProcess.Start(BuiltApps.Example, args, environment: new Dictionary<string,
            string> { ["ORLEANS_CONFIG_GATEWAY"] = silo.Gateway });

    [Fact]
    public async Task The_readme_program_connects_with_the_defaults_prints_the_union_and_then_each_change()
    {
        using var example = StartExample();
        string Printed() => example.Stdout.Replace("\r", "");

        // The two handlers print in either order, each union in one piece.
        await Eventually.Until(() => Printed().Contains(
            "  default/db from file: 5432/TCP\n  default/web from file: 80/TCP\n  shop/cart from file: 6379/TCP\n  shop/frontend from " +
                "file: 80/TCP\n  shop/payments from file: \n",
            StringComparison.Ordinal), timeout: Timeout, what: $"the example to print the services; {example.Describe()}");
        await Eventually.Until(() => Printed().Contains(
            "  shop/cart from file: 10.244.2.30:6379\n  shop/frontend from file: 10.244.1.20:8080,10.244.2.21:8080,10.244.3.22:8080\n",
            StringComparison.Ordinal), timeout: Timeout, what: $"the example to print the endpoints; {example.Describe()}");

        await File.WriteAllTextAsync(_file, "apiVersion: v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  ports:\n  - port: 8080\n");
        var applied = await silo.Cli("apply", "--source", "example", "-f", _file);
        Assert.True(applied.ExitCode == 0, applied.ToString());

        await Eventually.Until(() => Printed().Contains("  default/hello from example: 8080/TCP\n", StringComparison.Ordinal),
            timeout: Timeout, what:
            $"the example to print the change; {example.Describe()}");
        Assert.DoesNotContain("fail:", example.Stdout + example.Stderr);
        example.Terminate();
        Assert.True(await example.WaitForExitAsync(TimeSpan.FromSeconds(15)), example.Describe());
        Assert.Equal(0, example.ExitCode);
    }

    [Fact]
    public void The_readme_shows_the_example_program_as_it_is()
    {
        var program = File.ReadAllText(Path.Combine(BuiltApps.RepoRoot, "examples", "WatchUnion", "Program.cs")).Replace("\r", "").Trim();

        Assert.Contains(program, File.ReadAllText(Path.Combine(BuiltApps.RepoRoot, "README.md")).Replace("\r", ""));
    }

    [Fact]
    public async Task A_client_set_to_another_cluster_id_stops_at_once_naming_both_ids()
    {
        using var example = StartExample("--Orleans:ClusterId=elsewhere");

        Assert.True(await example.WaitForExitAsync(TimeSpan.FromSeconds(30)), example.Describe());
        Assert.Equal(1, example.ExitCode);
        Assert.Equal(
            "error: the gateway belongs to cluster \"orleans-config\", but this client is set to cluster \"elsewhere\": " +
            "set Orleans:ClusterId (and Orleans:ServiceId) to the silo's, or leave them unset for the OrleansConfig silo's default " +
                "\"orleans-config\"",
            example.Stderr.Trim().Split('\n')[^1].TrimEnd('\r'));
    }
}
