using System.CommandLine;
using OrleansConfig.Cli.Output;
using OrleansConfig.Reporting;

namespace OrleansConfig.Cli.Commands;

/// <summary><c>sources [NAME...] [-o table|json]</c>: each source's counts, readiness, last change and error.</summary>
internal static class SourcesCommand
{
    public static Command Build()
    {
        var output = CommonOptions.Output().WithFormats();
        var names = new Argument<string[]>("NAME")
        {
            Description = "Sources to show even if they never changed the union (default: every source the union has heard from)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("sources", "Show the configuration sources and their state") { names, output };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, token) =>
        {
            // Shared with the silo's /api/sources, so both list the same sources in the same JSON.
            var statuses = await SourceStatuses.GetAsync(connection.Client, parsed.GetValue(names) ?? [], token);
            if (parsed.GetValue(output) == "json") Console.Out.WriteLine(SourceStatusJson.Serialize(statuses));
            else if (statuses.Count == 0) Console.Error.WriteLine("No sources found.");
            else Console.Out.Write(Render.SourcesTable(statuses, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
