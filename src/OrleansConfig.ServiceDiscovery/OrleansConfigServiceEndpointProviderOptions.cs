using Microsoft.Extensions.Options;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>
/// Options of the OrleansConfig service endpoint provider (<c>AddOrleansConfigServiceEndpointProvider</c>), checked
/// when the host starts and when first read.
/// </summary>
public sealed class OrleansConfigServiceEndpointProviderOptions
{
    /// <summary>
    /// Which source's copy of a Service wins when several sources publish it: the first one listed here that has it,
    /// else the alphabetically first source (the catalog's rule, as the proxy's <c>--priority</c>).
    /// </summary>
    public IList<string> SourcePriority { get; set; } = [];

    /// <summary>The namespace of a name without one (<c>http://web</c> means <c>default/web</c> by default).</summary>
    public string DefaultNamespace { get; set; } = "default";

    /// <summary>
    /// How long resolutions wait for the catalog's first sync after it starts; past it they answer from what the
    /// catalog has (a name it does not know yet falls through to the next provider).
    /// </summary>
    public TimeSpan FirstSyncTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="OrleansConfigServiceEndpointProviderOptions"/>; each message names the option and the value.</summary>
internal sealed class OrleansConfigServiceEndpointProviderOptionsValidator : IValidateOptions<OrleansConfigServiceEndpointProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansConfigServiceEndpointProviderOptions options)
    {
        List<string> errors = [];
        if (NameRules.Dns1123Label(options.DefaultNamespace ?? "") is { } message)
        {
            errors.Add($"{nameof(options.DefaultNamespace)}: {message}");
        }
        if (options.FirstSyncTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.FirstSyncTimeout)}: must be positive, got {options.FirstSyncTimeout}");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var priority = options.SourcePriority ?? [];
        for (var i = 0; i < priority.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(priority[i])) errors.Add($"{nameof(options.SourcePriority)}[{i}]: must not be empty");
            else if (!seen.Add(priority[i])) errors.Add($"{nameof(options.SourcePriority)}[{i}]: duplicate source \"{priority[i]}\"");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
