using System.CommandLine;

namespace OrleansConfig.Cli.Commands;

/// <summary><c>remove-source NAME</c>: takes a source out of the union (its items go, its stored state is deleted).</summary>
internal static class RemoveSourceCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The source to remove" };
        var command =
            new Command("remove-source",
            "Take a source out of the union; an adapter still running under that name brings it back") { name };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
        {
            var source = parsed.GetRequiredValue(name);
            var removed = await connection.Client.GetAggregator().RemoveSource(source);
            Console.Out.WriteLine(removed ? $"source {source}: removed from the union"
                : $"source {source}: not in the union; nothing changed");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
