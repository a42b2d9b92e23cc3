using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary><c>get services|endpoints [--source NAME] [-o table|json]</c>: the union, or one source's part of it.</summary>
internal static class GetCommand
{
    public static Command Build()
    {
        var source = CommonOptions.Source("Only this source's items", required: false);
        var output = CommonOptions.Output().WithFormats();
        var get = new Command("get", "Show the Services or Endpoints the cluster serves") { source, output };
        get.Subcommands.Add(Kind("services", ["service", "svc"], source, output, async (grains, name) =>
        {
            if (name is null) return Render.Sorted((await grains.GetAggregator().GetSnapshot()).Services);
            return Render.Sorted((await grains.GetSource(name).GetSnapshot()).Services);
        }, Render.ServicesTable, items => Manifest.ToJson(items, [], indented: true)));
        get.Subcommands.Add(Kind("endpoints", ["endpoint", "ep"], source, output, async (grains, name) =>
        {
            if (name is null) return Render.Sorted((await grains.GetAggregator().GetSnapshot()).Endpoints);
            return Render.Sorted((await grains.GetSource(name).GetSnapshot()).Endpoints);
        }, Render.EndpointsTable, items => Manifest.ToJson([], items, indented: true)));
        return get;
    }

    private static Command Kind<T>(
        string name,
        string[] aliases,
        Option<string> source,
        Option<string> output,
        Func<IGrainFactory, string?, Task<IReadOnlyList<T>>> fetch,
        Func<IReadOnlyList<T>, string> table,
        Func<IReadOnlyList<T>, string> json)
    {
        var command = new Command(name, $"Show {name}");
        foreach (var alias in aliases) command.Aliases.Add(alias);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
        {
            var items = await fetch(connection.Client, parsed.GetValue(source));
            if (parsed.GetValue(output) == "json")
            {
                Console.Out.WriteLine(json(items));
            }
            else if (items.Count == 0)
            {
                Console.Error.WriteLine($"No {name} found.");
            }
            else
            {
                Console.Out.Write(table(items));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
