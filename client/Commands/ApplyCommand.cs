using System.CommandLine;
using OrleansConfig.Cli.Input;
using OrleansConfig.Sources.File;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>apply --source NAME -f PATH</c> (an Add of every item) and <c>replace --source NAME -f PATH</c> (a Set of
/// both kinds in one update: the input becomes the source's whole state).
/// </summary>
internal static class ApplyCommand
{
    public enum Mode
    {
        Apply,
        Replace,
    }

    public static Command Build(Mode mode)
    {
        var source = CommonOptions.Source("The source to change", required: true);
        var file = new Option<string>("--filename", "-f")
        {
            Description = "A manifest file, a directory of them (.json, .yaml, .yml), or - for standard input",
            Required = true,
            HelpName = "PATH",
        };
        var command = mode == Mode.Apply
            ? new Command("apply", "Add or update the Services and Endpoints in PATH in a source")
            : new Command("replace", "Make PATH the whole state of a source: items not in it are removed");
        command.Options.Add(source);
        command.Options.Add(file);
        var force = new Option<bool>("--force")
        {
            Description = "Apply the replacement even if it removes more of the source than its deletion limit allows",
        };
        if (mode == Mode.Replace) command.Options.Add(force);
        command.SetAction((parsed, cancellationToken) =>
        {
            FileContent content = FileContent.Empty;
            return CommandRunner.RunAsync(
                parsed,
                cancellationToken,
                async (connection, _) =>
                {
                    var name = parsed.GetRequiredValue(source);
                    var op = mode == Mode.Apply ? Operation.Add : Operation.Set;
                    var result = await connection.Client.GetSource(name).Apply(new SourceUpdate
                    {
                        Services = new ServiceUpdate(op, content.Services),
                        Endpoints = new EndpointsUpdate(op, content.Endpoints),
                        Synced = true,
                        Force = mode == Mode.Replace && parsed.GetValue(force),
                    });
                    if (!result.Accepted) throw new InputRejectedException([.. result.Errors.Select(e => e.ToString())]);
                    var what = $"{content.Services.Count} service(s) and {content.Endpoints.Count} endpoints";
                    var outcome = result.Changed ? $"sequence {result.Sequence}" : "no change";
                    Console.Out.WriteLine(mode == Mode.Apply
                        ? $"source {name}: applied {what} ({outcome})"
                        : $"source {name}: replaced with {what} ({outcome})");
                    return ExitCodes.Ok;
                },
                before: async ct => content = await ManifestInput.ReadAsync(parsed.GetRequiredValue(file), Console.In, ct));
        });
        return command;
    }
}
