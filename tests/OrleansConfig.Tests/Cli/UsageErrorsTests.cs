using OrleansConfig.Cli;
using OrleansConfig.Cli.Output;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class UsageErrorsTests
{
    private static IReadOnlyList<string> Errors(params string[] args)
    {
        var parsed = CliApp.Build().Parse(args);
        Assert.NotEmpty(parsed.Errors);
        return UsageErrors.Describe(parsed);
    }

    [Fact]
    public void A_misspelled_verb_is_answered_with_the_nearest_and_the_valid_ones() =>
        Assert.Equal(
        [
            "error: unknown command \"gett\" for \"orleans-config\"",
            "",
            "Did you mean this?",
            "\tget",
            "",
            "Valid commands: get, watch, apply, replace, delete, sources, subscribers, remove-source, proxy, version, help",
            "Run 'orleans-config --help' for usage.",
        ], Errors("gett", "services"));

    [Fact]
    public void No_verb_names_the_valid_ones() =>
        Assert.Equal(
        [
            "error: no command given; valid commands: get, watch, apply, replace, delete, sources, subscribers, remove-source, proxy, version, help",
            "Run 'orleans-config --help' for usage.",
        ], Errors());

    [Fact]
    public void A_subcommand_error_points_at_that_subcommands_help()
    {
        Assert.Equal(
        [
            "error: unknown kind \"pods\"; valid kinds: services (svc), endpoints (ep), endpointslices (eps)",
            "Run 'orleans-config get --help' for usage.",
        ], Errors("get", "pods"));
        Assert.Equal(
        [
            "error: unknown command \"servic\" for \"orleans-config delete\"",
            "",
            "Did you mean this?",
            "\tservice",
            "",
            "Valid commands: service, endpoints, endpointslice",
            "Run 'orleans-config delete --help' for usage.",
        ], Errors("delete", "--source", "manual", "servic", "default/web"));
        Assert.Equal("Run 'orleans-config delete service --help' for usage.", Errors("delete", "service", "a/b/c", "--source", "x")[^1]);
    }

    [Fact]
    public void Get_without_a_kind_names_the_kinds() =>
        Assert.Equal(
        [
            "error: you must specify the kind of resource to get; valid kinds: services (svc), endpoints (ep), endpointslices (eps)",
            "Run 'orleans-config get --help' for usage.",
        ], Errors("get", "-o", "json"));

    [Fact]
    public void Delete_needs_a_kind_or_a_file() =>
        Assert.Equal(
        [
            "error: \"delete\" needs one of: service, endpoints, endpointslice",
            "Run 'orleans-config delete --help' for usage.",
        ], Errors("delete", "--source", "manual"));

    [Fact]
    public void Watch_takes_only_the_unions_kinds() =>
        Assert.Equal(
        [
            "error: unknown kind \"eps\" (did you mean \"ep\"?); valid kinds: services (svc), endpoints (ep)",
            "Run 'orleans-config watch --help' for usage.",
        ], Errors("watch", "eps"));

    [Fact]
    public void Get_by_name_across_all_namespaces_is_refused_as_kubectl_refuses_it() =>
        Assert.Equal("error: a resource cannot be retrieved by name across all namespaces", Errors("get", "svc", "web", "-A")[0]);

    [Fact]
    public void The_command_list_shows_optional_arguments_as_optional()
    {
        var root = CliApp.Build();
        var labels = root.Subcommands.ToDictionary(c => c.Name, CommandsHelp.Label);

        Assert.Equal("sources [NAME...]", labels["sources"]);
        Assert.Equal("get <KIND[,KIND]> [NAME...]", labels["get"]);
        Assert.Equal("remove-source <NAME>", labels["remove-source"]);
        Assert.Equal("help [COMMAND...]", labels["help"]);
    }
}
