using Microsoft.Extensions.Options;

namespace OrleansConfig.Sources.File;

/// <summary>The file source: <c>Sources:File:*</c>. Setting <see cref="Path"/> enables it.</summary>
public sealed class FileSourceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
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

/// <summary>Checks <see cref="FileSourceOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class FileSourceOptionsValidator(string section) : IValidateOptions<FileSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSourceOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{section}:Path: must be set to a file or directory of manifests");
        }
        else if (!System.IO.File.Exists(options.FullPath) && !Directory.Exists(options.FullPath))
        {
            var resolved = System.IO.Path.IsPathRooted(options.Path) ? "" : $" (resolved to {options.FullPath})";
            failures.Add($"{section}:Path: directory or file \"{options.Path}\" does not exist{resolved}");
        }
        if (SourceName.Check(options.Name) is { } nameError)
        {
            failures.Add($"{section}:Name: {nameError}");
        }
        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{section}:Debounce: must be between 00:00:00 and 00:01:00, got {options.Debounce}");
        }
        if (options.RescanPeriod < TimeSpan.FromSeconds(1) || options.RescanPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{section}:RescanPeriod: must be between 00:00:01 and 1.00:00:00, got {options.RescanPeriod}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
