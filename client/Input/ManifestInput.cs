using OrleansConfig.Sources.File;

namespace OrleansConfig.Cli.Input;

/// <summary>
/// Reads <c>-f PATH</c> (a file, a directory's top-level manifests, or <c>-</c> for standard input) with the
/// file source's rules: every file must parse and validate, and no <c>namespace/name</c> may repeat. Unknown fields
/// are handled as <c>--validate</c> says; their warnings are kubectl's, naming the file only when there are several.
/// </summary>
internal static class ManifestInput
{
    public const string StandardInput = "-";

    /// <summary>The Services, Endpoints and EndpointSlices <paramref name="path"/> holds and the warnings to print, or
    /// <see cref="InputRejectedException"/>.</summary>
    public static async Task<(FileContent Content, IReadOnlyList<string> Warnings)> ReadAsync(
        string path, TextReader stdin, FieldValidation fieldValidation, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileRead> reads;
        if (path == StandardInput)
        {
            reads = [ManifestFiles.Parse("<stdin>", await stdin.ReadToEndAsync(cancellationToken), fieldValidation: fieldValidation)];
        }
        else
        {
            // kubectl's words; a path that is not there is a mistake in the command line, not bad input.
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UsageException($"the path \"{path}\" does not exist");
            try
            {
                reads = await new ManifestFiles(path, fieldValidation: fieldValidation).ReadAllAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InputRejectedException([$"{path}: {ex.Message}"]);
            }
            if (reads.Count == 0) throw new InputRejectedException([$"{path}: no .json, .yaml or .yml files"]);
        }

        var plan = new FileSourceState().Plan(reads);
        if (plan.Errors.Count > 0 || plan.Update is null) throw new InputRejectedException([.. plan.Errors, .. DuplicateHint(plan.Errors)]);
        var warnings =
            reads.SelectMany(r => r.Warnings.Select(w => reads.Count == 1 ? $"Warning: {w}" : $"Warning: {r.Name}: {w}")).ToList();
        var content = new FileContent(plan.Update.Services!.Services, plan.Update.Endpoints!.Endpoints)
        {
            EndpointSlices = plan.Update.EndpointSlices!.Slices,
        };
        return (content, warnings);
    }

    /// <summary>
    /// The union holds the same <c>namespace/name</c> once per source that publishes it, so <c>get -o json</c> of the whole
    /// union can repeat a name that one source cannot hold twice: say how to export one source instead.
    /// </summary>
    internal static IEnumerable<string> DuplicateHint(IReadOnlyList<string> errors)
    {
        if (errors.Any(e =>
            e.Contains(": duplicate \"", StringComparison.Ordinal) || e.EndsWith(" is defined more than once", StringComparison.Ordinal)))
        {
            yield return "hint: 'orleans-config get' shows a namespace/name once per source that has it; to copy one source, export it " +
                "alone: orleans-config get svc,ep --source NAME -o json";
        }
    }
}
