namespace OrleansConfig.Sources.File;

/// <summary>What a scan of the files decided: the update to send (if any), the errors to report, and
/// each file's content to remember as its last good once the update is accepted.</summary>
internal sealed record FileSourcePlan(
    SourceUpdate? Update,
    IReadOnlyList<string> Errors,
    IReadOnlyDictionary<string, FileContent> LastGood)
{
    /// <summary>What the files in use warn of, each naming its file: <c>web.yaml: unknown field "spec.sessionAffinty"</c>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The errors as one line for <see cref="ISourceGrain.ReportError"/>, or null when there are none.</summary>
    public string? ErrorSummary(int max = 5) => Summary(Errors, max);

    /// <summary>The warnings as one line for <see cref="ISourceGrain.ReportWarning"/>, or null when there are none.</summary>
    public string? WarningSummary(int max = 5) => Summary(Warnings, max);

    private static string? Summary(IReadOnlyList<string> lines, int max)
    {
        if (lines.Count == 0) return null;
        var shown = string.Join("; ", lines.Take(max));
        return lines.Count > max ? $"{shown}; and {lines.Count - max} more" : shown;
    }
}
