using System.CommandLine;
using OrleansConfig.Cli.Output;

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
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
        {
            var grains = connection.Client;
            var known = await grains.GetAggregator().GetSources();
            var all = known.Concat(parsed.GetValue(names) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var statuses = await Task.WhenAll(all.Select(n => grains.GetSource(n).GetStatus()));
            if (parsed.GetValue(output) == "json") Console.Out.WriteLine(Render.SourcesJson(statuses));
            else if (statuses.Length == 0) Console.Error.WriteLine("No sources found.");
            else Console.Out.Write(Render.SourcesTable(statuses, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
