using System.CommandLine;
using OrleansConfig.Cli.Input;
using OrleansConfig.Sources.File;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>apply --source NAME -f PATH</c> (an Add of every item) and <c>replace --source NAME -f PATH</c> (a Set of
/// every kind in one update: the input becomes the source's whole state). EndpointSlices go in as slices, which the
/// source merges into their Services' Endpoints.
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
            ? new Command("apply", "Add or update the Services, Endpoints and EndpointSlices in PATH in a source")
            : new Command("replace", "Make PATH the whole state of a source: items not in it are removed");
        command.Options.Add(source);
        command.Options.Add(file);
        var force = new Option<bool>("--force")
        {
            Description = "Apply the replacement even if it removes more of the source than its deletion limit allows",
        };
        if (mode == Mode.Replace) command.Options.Add(force);
        var validate = ValidateOption();
        command.Options.Add(validate);
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
                        EndpointSlices = new EndpointSliceUpdate(op, content.EndpointSlices),
                        Synced = true,
                        Force = mode == Mode.Replace && parsed.GetValue(force),
                    });
                    if (!result.Accepted) throw new InputRejectedException([.. result.Errors.Select(e => e.ToString())]);
                    var what = content.EndpointSlices.Count == 0
                        ? $"{content.Services.Count} service(s) and {content.Endpoints.Count} endpoints"
                        : $"{content.Services.Count} service(s), {content.Endpoints.Count} endpoints and " +
                            $"{content.EndpointSlices.Count} endpointslice(s)";
                    var outcome = result.Changed ? $"sequence {result.Sequence}" : "no change";
                    Console.Out.WriteLine(mode == Mode.Apply
                        ? $"source {name}: applied {what} ({outcome})"
                        : $"source {name}: replaced with {what} ({outcome})");
                    return ExitCodes.Ok;
                },
                before: async ct =>
                {
                    (content, var warnings) =
                        await ManifestInput.ReadAsync(parsed.GetRequiredValue(file), Console.In, Validation(parsed, validate), ct);
                    foreach (var warning in warnings) Console.Error.WriteLine(warning);
                });
        });
        return command;
    }

    /// <summary>A bare <c>--validate</c> is strict, as kubectl's; the parser gives a flag without a value its default.</summary>
    private static FieldValidation Validation(ParseResult parsed, Option<FieldValidation> validate) =>
        parsed.GetResult(validate) is { Implicit: false, Tokens.Count: 0 } ? FieldValidation.Strict : parsed.GetValue(validate);

    /// <summary>kubectl's <c>--validate</c>: <c>strict</c> (or <c>true</c>, or no value), <c>warn</c> (the default),
    /// <c>ignore</c> (or <c>false</c>).</summary>
    private static Option<FieldValidation> ValidateOption() => new("--validate")
    {
        Description =
            "Fields Kubernetes does not know: warn (print each, then apply), strict (refuse the input) or ignore; true means strict, " +
            "false ignore",
        HelpName = "strict|warn|ignore",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => FieldValidation.Warn,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return FieldValidation.Warn;
            switch (result.Tokens[0].Value.ToLowerInvariant())
            {
                case "strict" or "true": return FieldValidation.Strict;
                case "warn": return FieldValidation.Warn;
                case "ignore" or "false": return FieldValidation.Ignore;
                default:
                    result.AddError($"--validate: must be strict, warn or ignore (or true, false), got \"{result.Tokens[0].Value}\"");
                    return FieldValidation.Warn;
            }
        },
    };
}
