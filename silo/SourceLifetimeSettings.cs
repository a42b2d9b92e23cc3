using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansConfig.Silo;

/// <summary>
/// <c>OrleansConfig:Sources</c>: <c>StaleAfter</c> (every source) and, per source, <c>NAME:StaleAfter</c> and
/// <c>NAME:DropAfter</c>, read into <see cref="SourceLifetimeOptions"/>. A child with a value is a default; a child with
/// children is a source, so a source named <c>staleafter</c> is <c>OrleansConfig:Sources:StaleAfter:StaleAfter</c>.
/// Here each value must be a duration; the rules between values are <see cref="SourceLifetimeOptions"/>' validator's.
/// </summary>
internal static class SourceLifetimeSettings
{
    private static readonly string[] PerSource = ["StaleAfter", "DropAfter"];

    /// <summary>One message per bad setting, each naming its key.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        List<string> errors = [];
        foreach (var child in configuration.GetSection(SourceLifetimeOptions.SectionName).GetChildren())
        {
            if (child.Value is { } value)
            {
                if (child.Key.Equals("StaleAfter", StringComparison.OrdinalIgnoreCase)) Duration(child.Path, value, errors);
                else if (child.Key.Equals("DropAfter", StringComparison.OrdinalIgnoreCase))
                    errors.Add($"{child.Path}: DropAfter is set per source only ({SourceLifetimeOptions.SectionName}:NAME:DropAfter)");
                else errors.Add($"{child.Path}: unknown setting (StaleAfter, or a source's section NAME:StaleAfter / NAME:DropAfter)");
            }
            foreach (var setting in child.GetChildren())
            {
                if (!PerSource.Contains(setting.Key, StringComparer.OrdinalIgnoreCase)) errors.Add($"{setting.Path}: unknown setting (StaleAfter, DropAfter)");
                else if (setting.Value is { } text) Duration(setting.Path, text, errors);
            }
        }
        return errors;
    }

    /// <summary>Binds the settings <see cref="Check"/> found good.</summary>
    public static void Apply(IServiceCollection services, IConfiguration configuration) =>
        services.Configure<SourceLifetimeOptions>(options => Bind(configuration.GetSection(SourceLifetimeOptions.SectionName), options));

    internal static void Bind(IConfigurationSection section, SourceLifetimeOptions options)
    {
        options.StaleAfter = Parse(section["StaleAfter"]);
        foreach (var source in section.GetChildren().Where(c => c.GetChildren().Any()))
        {
            options.Sources[source.Key] = new SourceLifetime { StaleAfter = Parse(source["StaleAfter"]), DropAfter = Parse(source["DropAfter"]) };
        }
    }

    private static void Duration(string key, string text, List<string> errors)
    {
        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _)) errors.Add($"{key}: must be a duration such as 00:05:00, got \"{text}\"");
    }

    private static TimeSpan? Parse(string? text) =>
        text is not null && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
}
