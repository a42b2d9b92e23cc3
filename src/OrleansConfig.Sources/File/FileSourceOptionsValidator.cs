using Microsoft.Extensions.Options;

namespace OrleansConfig.Sources.File;

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
