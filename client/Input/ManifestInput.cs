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

    /// <summary>The Services and Endpoints <paramref name="path"/> holds and the warnings to print, or <see cref="InputRejectedException"/>.</summary>
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
        if (plan.Errors.Count > 0 || plan.Update is null) throw new InputRejectedException(plan.Errors);
        var warnings = reads.SelectMany(r => r.Warnings.Select(w => reads.Count == 1 ? $"Warning: {w}" : $"Warning: {r.Name}: {w}")).ToList();
        return (new FileContent(plan.Update.Services!.Services, plan.Update.Endpoints!.Endpoints), warnings);
    }
}
