namespace OrleansConfig.Sources.File;

/// <summary>What a scan of the files decided: the update to send (if any), the errors to report, and
/// each file's content to remember as its last good once the update is accepted.</summary>
internal sealed record FileSourcePlan(
    SourceUpdate? Update,
    IReadOnlyList<string> Errors,
    IReadOnlyDictionary<string, FileContent> LastGood)
{
    /// <summary>The errors as one line for <see cref="ISourceGrain.ReportError"/>, or null when there are none.</summary>
    public string? ErrorSummary(int max = 5)
    {
        if (Errors.Count == 0) return null;
        var shown = string.Join("; ", Errors.Take(max));
        return Errors.Count > max ? $"{shown}; and {Errors.Count - max} more" : shown;
    }
}
