using System.Text.RegularExpressions;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The CLI as a kubectl user types it, against a real silo process: exact outputs and exit codes.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KubectlHabitsEndToEndTests(SiloProcess silo) : IClassFixture<SiloProcess>, IDisposable
{
    private const string Verbs = "get, watch, apply, replace, delete, sources, subscribers, remove-source, proxy, version, help";

    private readonly TempFolder _files = new("oc-kubectl-");

    public void Dispose() => _files.Dispose();

    private static string ServiceYaml(string name, string ns) => ManifestText.Service(name, ns, clusterIp: "10.96.7.7");

    private static string EndpointsYaml(string name, string ns) => ManifestText.Endpoints(name, "10.9.0.1", ns, notReadyIp: "10.9.0.2");

    private async Task Apply(string source, params string[] documents)
    {
        var result = await silo.Cli("apply", "--source", source, "-f", _files.Write(ManifestText.Join(documents)));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static void AssertOk(CliResult result, string stdout)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(stdout, result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    private static void AssertUsageError(CliResult result, string stderr)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal(stderr, result.Stderr);
    }

    [Fact]
    public async Task Namespace_narrows_get_and_every_namespace_is_the_default_and_all_namespaces()
    {
        await Apply("e2e-ns", ServiceYaml("one", "kns-a"), ServiceYaml("two", "kns-b"));

        var narrowed = await silo.Cli("get", "svc", "-n", "kns-a");
        var everything = await silo.Cli("get", "svc", "--source", "e2e-ns", "-o", "name");
        var all = await silo.Cli("get", "svc", "--source", "e2e-ns", "-o", "name", "--all-namespaces");
        var allWins = await silo.Cli("get", "svc", "--source", "e2e-ns", "-o", "name", "-A", "-n", "kns-a");
        var empty = await silo.Cli("get", "services", "--namespace", "kns-none");

        AssertOk(narrowed,
            "NAMESPACE   NAME   SOURCE   TYPE        CLUSTER-IP   PORT(S)\n" +
            "kns-a       one    e2e-ns   ClusterIP   10.96.7.7    80/TCP\n");
        AssertOk(everything, "service/kns-a/one@e2e-ns\nservice/kns-b/two@e2e-ns\n");
        AssertOk(all, everything.Stdout);
        AssertOk(allWins, everything.Stdout);
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Equal("", empty.Stdout);
        Assert.Equal("No services found in namespace kns-none.\n", empty.Stderr);
    }

    [Fact]
    public async Task Get_by_name_shows_that_object_and_a_missing_name_exits_1_with_a_not_found_line()
    {
        var found = await silo.Cli("get", "services", "web", "--source", "file");
        var missing = await silo.Cli("get", "svc", "nope");
        var elsewhere = await silo.Cli("get", "svc", "web", "-n", "shop", "--source", "file");
        var some = await silo.Cli("get", "svc", "db", "nope", "--source", "file", "-o", "name");

        AssertOk(found,
            "NAMESPACE   NAME   SOURCE   TYPE        CLUSTER-IP   PORT(S)\n" +
            "default     web    file     ClusterIP   10.96.0.10   80/TCP\n");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.Equal("not found: services \"nope\" in namespace default\n", missing.Stderr);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Equal("not found: services \"web\" in namespace shop of source file\n", elsewhere.Stderr);
        Assert.Equal(1, some.ExitCode);
        Assert.Equal("service/default/db@file\n", some.Stdout);
        Assert.Equal("not found: services \"nope\" in namespace default of source file\n", some.Stderr);
    }

    [Fact]
    public async Task Kinds_are_taken_by_short_names_and_together_grouped_per_kind()
    {
        var both = await silo.Cli("get", "svc,ep", "-n", "shop", "--source", "file");
        var services = await silo.Cli("get", "services", "-n", "shop", "--source", "file");

        AssertOk(both,
            "NAMESPACE   NAME               SOURCE   TYPE           CLUSTER-IP    PORT(S)\n" +
            "shop        service/cart       file     ClusterIP      10.96.12.40   6379/TCP\n" +
            "shop        service/frontend   file     NodePort       <none>        80:30080/TCP\n" +
            "shop        service/payments   file     ExternalName   <none>        <none>\n" +
            "\n" +
            "NAMESPACE   NAME                 SOURCE   ENDPOINTS\n" +
            "shop        endpoints/cart       file     10.244.2.30:6379\n" +
            "shop        endpoints/frontend   file     10.244.1.20:8080,10.244.2.21:8080,10.244.3.22:8080\n");
        foreach (var alias in new[] { "svc", "service" })
        {
            AssertOk(await silo.Cli("get", alias, "-n", "shop", "--source", "file"), services.Stdout);
        }
        AssertOk(await silo.Cli("get", "ep", "-n", "shop", "--source", "file"),
            "NAMESPACE   NAME       SOURCE   ENDPOINTS\n" +
            "shop        cart       file     10.244.2.30:6379\n" +
            "shop        frontend   file     10.244.1.20:8080,10.244.2.21:8080,10.244.3.22:8080\n");
    }

    [Fact]
    public async Task Output_name_wide_and_yaml()
    {
        var names = await silo.Cli("get", "svc,ep", "-n", "default", "--source", "file", "-o", "name");
        var wideEndpoints = await silo.Cli("get", "endpoints", "-n", "default", "--source", "file", "-o", "wide");
        var wideServices = await silo.Cli("get", "svc", "-n", "default", "--source", "file", "-o", "wide");
        var yaml = await silo.Cli("get", "svc", "web", "--source", "file", "-o", "yaml");

        AssertOk(names, "service/default/db@file\nservice/default/web@file\nendpoints/default/db@file\nendpoints/default/web@file\n");
        AssertOk(wideEndpoints,
            "NAMESPACE   NAME   SOURCE   ENDPOINTS                         NOT-READY\n" +
            "default     db     file     10.244.3.4:5432                   10.244.1.9:5432\n" +
            "default     web    file     10.244.1.5:8080,10.244.2.7:8080   <none>\n");
        AssertOk(wideServices,
            "NAMESPACE   NAME   SOURCE   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    SELECTOR\n" +
            "default     db     file     ClusterIP   None         <none>        5432/TCP   app=db\n" +
            "default     web    file     ClusterIP   10.96.0.10   <none>        80/TCP     app=web\n");
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.StartsWith(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n    namespace: default\n",
            yaml.Stdout);
        Assert.Contains("\n    annotations:\n      orleans-config/source: file\n", yaml.Stdout);
        Assert.Equal(Manifest.Parse((await silo.Cli("get", "svc", "web", "--source", "file", "-o", "json")).Stdout),
            Manifest.Parse(yaml.Stdout));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public async Task One_sources_output_applied_back_to_it_is_a_round_trip_that_changes_nothing(string format)
    {
        var source = $"e2e-rt-{format}";
        await Apply(source, ServiceYaml("rt", "kns-rt"), EndpointsYaml("rt", "kns-rt"));
        var before = await silo.Cli("get", "svc,ep", "--source", source, "-o", format);
        Assert.True(before.ExitCode == 0, before.ToString());

        var applied = await Cli.RunAsync(["--gateway", silo.Gateway, "apply", "--source", source, "-f", "-"], before.Stdout);

        AssertOk(applied, $"source {source}: applied 1 service(s) and 1 endpoints (no change)\n");
        AssertOk(await silo.Cli("get", "svc,ep", "--source", source, "-o", format), before.Stdout);
    }

    [Fact]
    public async Task The_union_with_one_name_from_two_sources_is_refused_whole_with_a_hint_to_export_one_source()
    {
        await Apply("e2e-dup-a", ServiceYaml("twice", "kns-dup"));
        await Apply("e2e-dup-b", ServiceYaml("twice", "kns-dup"));
        var union = await silo.Cli("get", "svc", "-n", "kns-dup", "-o", "json");

        var applied = await Cli.RunAsync(["--gateway", silo.Gateway, "apply", "--source", "e2e-dup-c", "-f", "-"], union.Stdout);

        Assert.Equal(1, applied.ExitCode);
        Assert.Equal("", applied.Stdout);
        Assert.Equal(
            "<stdin>: items[1].metadata.name: duplicate \"kns-dup/twice\" (also at items[0])\n" +
            "hint: 'orleans-config get' shows a namespace/name once per source that has it; to copy one source, export it alone: " +
                "orleans-config get svc,ep --source NAME -o json\n",
            applied.Stderr);
        AssertOk(await silo.Cli("get", "svc", "--source", "e2e-dup-c", "-o", "name"), "");
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        var path = Path.Combine(_files.Path, "nope.yaml");

        AssertUsageError(await silo.Cli("apply", "--source", "e2e-missing", "-f", path), $"error: the path \"{path}\" does not exist\n");
        AssertUsageError(await silo.Cli("replace", "--source", "e2e-missing", "-f", path), $"error: the path \"{path}\" does not exist\n");
    }

    [Fact]
    public async Task A_misspelled_verb_is_answered_with_the_nearest_and_the_valid_ones()
    {
        AssertUsageError(await silo.Cli("gett", "services"),
            "error: unknown command \"gett\" for \"orleans-config\"\n\nDid you mean this?\n\tget\n\n" +
            $"Valid commands: {Verbs}\nRun 'orleans-config --help' for usage.\n");
        AssertUsageError(await silo.Cli("pods"),
            $"error: unknown command \"pods\" for \"orleans-config\"\nValid commands: {Verbs}\nRun 'orleans-config --help' for usage.\n");
        AssertUsageError(await silo.Cli(),
            $"error: no command given; valid commands: {Verbs}\nRun 'orleans-config --help' for usage.\n");
    }

    [Fact]
    public async Task A_subcommand_error_points_at_that_subcommands_help()
    {
        AssertUsageError(await silo.Cli("get", "pods"),
            "error: unknown kind \"pods\"; valid kinds: services (svc), endpoints (ep), endpointslices (eps)\nRun 'orleans-config get " +
                "--help' for usage.\n");
        AssertUsageError(await silo.Cli("get"),
            "error: you must specify the kind of resource to get; valid kinds: services (svc), endpoints (ep), endpointslices (eps)\nRun " +
                "'orleans-config get --help' for usage.\n");
        AssertUsageError(await silo.Cli("watch", "svc", "-o", "xml"),
            "error: Argument 'xml' not recognized. Must be one of:\n\t'table'\n\t'wide'\n\t'json'\nRun 'orleans-config watch --help' " +
                "for usage.\n");
        AssertUsageError(await silo.Cli("get", "svc", "web", "-A"),
            "error: a resource cannot be retrieved by name across all namespaces\nRun 'orleans-config get --help' for usage.\n");
        AssertUsageError(await silo.Cli("get", "svc", "-n", "Not_A_Namespace"),
            "error: --namespace: invalid DNS-1123 label \"Not_A_Namespace\": must consist of lower case alphanumeric characters or " +
                "'-', and must start and end with an alphanumeric character\nRun 'orleans-config get --help' for usage.\n");
    }

    [Fact]
    public async Task Help_is_a_verb_and_lists_optional_arguments_as_optional()
    {
        var root = await silo.Cli("help");
        var get = await silo.Cli("help", "get");
        var getFlag = await silo.Cli("get", "--help");

        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Matches(@"(?m)^  sources \[NAME\.\.\.\]\s+Show the configuration sources and their state$", root.Stdout);
        Assert.Matches(@"(?m)^  get <KIND\[,KIND\]> \[NAME\.\.\.\]\s+Show the Services and/or Endpoints", root.Stdout);
        Assert.Matches(@"(?m)^  help \[COMMAND\.\.\.\]\s+", root.Stdout);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("orleans-config get <KIND[,KIND]> [<NAME>...] [options]", get.Stdout);
        Assert.Equal(getFlag.Stdout, get.Stdout);
        AssertUsageError(await silo.Cli("help", "gt"),
            $"error: unknown command \"gt\" for \"orleans-config\"\n\nDid you mean this?\n\tget\n\nValid commands: {Verbs}\nRun " +
                $"'orleans-config --help' for usage.\n");
    }

    [Fact]
    public async Task Version_shows_the_client_and_that_the_cluster_answers()
    {
        var connected = await silo.Cli("version");
        var clientOnly = await Cli.RunAsync(["--gateway", $"127.0.0.1:{FreePorts.Take(1)[0]}", "version", "--client"]);

        Assert.True(connected.ExitCode == 0, connected.ToString());
        Assert.Matches(
            @"^Client Version: \d+\.\d+\.\d+\S*\n" +
            $@"Cluster: reachable at {Regex.Escape(silo.Gateway)} \(union version [0-9a-f]{{8}}:\d+\)\n$", connected.Stdout);
        Assert.True(clientOnly.ExitCode == 0, clientOnly.ToString());
        Assert.Matches(@"^Client Version: \d+\.\d+\.\d+\S*\n$", clientOnly.Stdout);
    }

    [Fact]
    public async Task Watch_follows_one_namespace_and_both_kinds()
    {
        using var watch = silo.StartCli("watch", "svc,ep", "-n", "kns-w", "-o", "json");
        var first = await watch.ReadLineUntilAsync(line => line.StartsWith('{'), TimeSpan.FromSeconds(30));
        Assert.Empty(ListJson.Items(first));

        await Apply("e2e-watch-ns", ServiceYaml("seen", "kns-w"), EndpointsYaml("seen", "kns-w"), ServiceYaml("unseen", "kns-other"));

        // Each kind follows its own subscription, so the change may show one kind first; every line holds only kns-w.
        string[] expected = ["Endpoints kns-w/seen@e2e-watch-ns", "Service kns-w/seen@e2e-watch-ns"];
        var line =
            await watch.ReadLineUntilAsync(l =>
            l.StartsWith('{') && !ListJson.Items(l).Except(expected).Any() && ListJson.Items(l).Length == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(expected, ListJson.Items(line));
        Assert.DoesNotContain("unseen", watch.Stdout);
    }
}
