using Microsoft.Extensions.Options;

namespace OrleansConfig;

/// <summary>
/// How long a source may stay silent before it is shown stale, and (per source) before its items leave the union.
/// Bound from <c>OrleansConfig:Sources</c>: <c>StaleAfter</c> for every source, <c>NAME:StaleAfter</c> and
/// <c>NAME:DropAfter</c> for one. Off unless set.
/// </summary>
public sealed class SourceLifetimeOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "OrleansConfig:Sources";

    /// <summary>How long any source may stay silent before it is stale (null: never); a source's own value overrides it.</summary>
    public TimeSpan? StaleAfter { get; set; }

    /// <summary>Per-source settings, by source name (case-insensitive, as configuration keys are).</summary>
    public Dictionary<string, SourceLifetime> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What applies to <paramref name="source"/>: its own values, else the default <see cref="StaleAfter"/>.</summary>
    public SourceLifetime For(string source)
    {
        var own = Sources.TryGetValue(source, out var found) ? found : null;
        return new SourceLifetime { StaleAfter = own?.StaleAfter ?? StaleAfter, DropAfter = own?.DropAfter };
    }
}

/// <summary>One source's lifetime settings (<c>OrleansConfig:Sources:NAME</c>).</summary>
public sealed class SourceLifetime
{
    /// <summary>How long the source may stay silent before it is stale (null: the default, <see cref="SourceLifetimeOptions.StaleAfter"/>).</summary>
    public TimeSpan? StaleAfter { get; set; }

    /// <summary>How long the source may stay silent before its items leave the union (null: never).</summary>
    public TimeSpan? DropAfter { get; set; }
}

/// <summary>Refuses settings that could never mean what was meant, naming each key.</summary>
internal sealed class SourceLifetimeOptionsValidator : IValidateOptions<SourceLifetimeOptions>
{
    public ValidateOptionsResult Validate(string? name, SourceLifetimeOptions options)
    {
        List<string> errors = [];
        Positive($"{SourceLifetimeOptions.SectionName}:StaleAfter", options.StaleAfter, errors);
        foreach (var (source, own) in options.Sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var prefix = $"{SourceLifetimeOptions.SectionName}:{source}";
            Positive($"{prefix}:StaleAfter", own.StaleAfter, errors);
            Positive($"{prefix}:DropAfter", own.DropAfter, errors);
            // Dropping before it is even stale would take working items away with no warning first.
            var staleAfter = own.StaleAfter ?? options.StaleAfter;
            if (own.DropAfter is { } drop && drop > TimeSpan.Zero && staleAfter is { } stale && stale > TimeSpan.Zero && drop < stale)
            {
                errors.Add($"{prefix}:DropAfter: must not be shorter than the source's StaleAfter ({stale:c}), got {drop:c}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(string key, TimeSpan? value, List<string> errors)
    {
        if (value is { } span && span <= TimeSpan.Zero) errors.Add($"{key}: must be positive (leave it unset for never), got {span:c}");
    }
}
