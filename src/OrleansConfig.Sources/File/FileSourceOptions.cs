namespace OrleansConfig.Sources.File;

/// <summary>The file source: <c>Sources:File:*</c>. Setting <see cref="Path"/> enables it.</summary>
public sealed class FileSourceOptions
{
    public const string SectionName = "Sources:File";

    /// <summary>A manifest file, or a directory whose top-level <c>.json</c>, <c>.yaml</c> and <c>.yml</c> files are read.
    /// A relative path is resolved against the current directory.</summary>
    public string? Path { get; set; }

    /// <summary>The source name the manifests are published under.</summary>
    public string Name { get; set; } = "file";

    /// <summary>How long the files must be quiet after a change before they are read.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the files are read and re-sent even without a change notification (watchers miss events).</summary>
    public TimeSpan RescanPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What to do with fields Kubernetes does not know: warn on the source, refuse the file, or ignore them.
    /// The silo sets it from <c>OrleansConfig:Validation:FieldValidation</c>.</summary>
    public FieldValidation FieldValidation { get; set; } = FieldValidation.Warn;

    internal string FullPath => System.IO.Path.GetFullPath(Path ?? "");
}
