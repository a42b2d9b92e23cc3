using System.CommandLine;
using OrleansConfig.Cli.Input;
using OrleansConfig.Sources.File;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>delete --source NAME service|endpoints|endpointslice NAMESPACE/NAME</c>: a Remove of one item from one source;
/// <c>delete --source NAME -f PATH</c>: a Remove of every item PATH holds, of every kind.
/// </summary>
internal static class DeleteCommand
{
    public static Command Build()
    {
        var source = CommonOptions.Source("The source to remove the item from", required: true);
        var file = new Option<string>("--filename", "-f")
        {
            Description = "Remove every Service, Endpoints and EndpointSlice in PATH (a file, a directory, or - for standard input)",
            HelpName = "PATH",
        };
        var delete = new Command("delete", "Remove a Service, Endpoints or EndpointSlice from a source") { source, file };
        delete.Subcommands.Add(Kind("service", ["services", "svc"], source, key => new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Remove, [new Service { Metadata = Meta(key) }]),
        }));
        delete.Subcommands.Add(Kind("endpoints", ["endpoint", "ep"], source, key => new SourceUpdate
        {
            Endpoints = new EndpointsUpdate(Operation.Remove, [new Endpoints { Metadata = Meta(key) }]),
        }));
        delete.Subcommands.Add(Kind("endpointslice", ["endpointslices", "eps"], source, key => new SourceUpdate
        {
            EndpointSlices = new EndpointSliceUpdate(Operation.Remove, [new EndpointSlice { Metadata = Meta(key) }]),
        }));
        delete.Validators.Add(result =>
        {
            var kind = result.Children.OfType<System.CommandLine.Parsing.CommandResult>().Any();
            if (result.GetResult(file) is null && !kind)
            {
                result.AddError(UsageErrors.MissingCommand(delete));
            }
        });
        delete.SetAction((parsed, cancellationToken) =>
        {
            FileContent content = FileContent.Empty;
            return CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
            {
                var name = parsed.GetRequiredValue(source);
                var result = await connection.Client.GetSource(name).Apply(new SourceUpdate
                {
                    Services = new ServiceUpdate(Operation.Remove, content.Services),
                    Endpoints = new EndpointsUpdate(Operation.Remove, content.Endpoints),
                    EndpointSlices = new EndpointSliceUpdate(Operation.Remove, content.EndpointSlices),
                });
                if (!result.Accepted) throw new InputRejectedException([.. result.Errors.Select(e => e.ToString())]);
                var what = $"{content.Services.Count} service(s), {content.Endpoints.Count} endpoints and {content.EndpointSlices.Count} " +
                    "endpointslice(s)";
                Console.Out.WriteLine(result.Changed
                    ? $"source {name}: deleted {what} (sequence {result.Sequence})"
                    : $"source {name}: none of {what} found; nothing changed");
                return ExitCodes.Ok;
            },
            before: async ct =>
            {
                (content, var warnings) = await ManifestInput.ReadAsync(parsed.GetRequiredValue(file), Console.In, FieldValidation.Ignore, ct);
                foreach (var warning in warnings) Console.Error.WriteLine(warning);
            });
        });
        return delete;
    }

    private static ObjectMeta Meta(ObjectKey key) => new() { Namespace = key.Namespace, Name = key.Name };

    private static Command Kind(string kind, string[] aliases, Option<string> source, Func<ObjectKey, SourceUpdate> update)
    {
        var key = new Argument<string>("NAMESPACE/NAME")
        {
            Description = $"The {kind} to remove (a bare NAME means namespace default)",
            Validators =
            {
                result =>
                {
                    var parsed = ObjectKey.Parse(result.GetValueOrDefault<string>() ?? "");
                    if (parsed.Namespace.Length == 0 || parsed.Name.Length == 0 || parsed.Name.Contains('/'))
                    {
                        result.AddError($"\"{result.GetValueOrDefault<string>()}\" is not NAMESPACE/NAME");
                    }
                },
            },
        };
        var command = new Command(kind, $"Remove {kind}") { key };
        foreach (var alias in aliases) command.Aliases.Add(alias);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
        {
            var name = parsed.GetRequiredValue(source);
            var target = ObjectKey.Parse(parsed.GetRequiredValue(key));
            var result = await connection.Client.GetSource(name).Apply(update(target));
            if (!result.Accepted) throw new InputRejectedException([.. result.Errors.Select(e => e.ToString())]);
            Console.Out.WriteLine(result.Changed
                ? $"source {name}: deleted {kind} {target} (sequence {result.Sequence})"
                : $"source {name}: {kind} {target} not found; nothing changed");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
