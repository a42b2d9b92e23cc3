using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace OrleansConfig.Silo;

/// <summary>
/// <c>Orleans:Membership:*</c>, bound to Orleans' <see cref="ClusterMembershipOptions"/> (failure detection and what a
/// restart waits for). Orleans binds whatever it is given: a misspelt key is silently ignored and a zero timeout
/// accepted, so each key is checked here against the options' own properties before the silo starts.
/// </summary>
internal static class MembershipSettings
{
    /// <summary>The settable properties of <see cref="ClusterMembershipOptions"/>, by name.</summary>
    private static readonly Dictionary<string, Type> Settings = typeof(ClusterMembershipOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => p.Name, p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, StringComparer.OrdinalIgnoreCase);

    /// <summary>One message per bad setting, each naming its key.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        List<string> errors = [];
        foreach (var setting in configuration.GetSection(ClusterSettings.MembershipSection).GetChildren())
        {
            if (!Settings.TryGetValue(setting.Key, out var type))
            {
                errors.Add($"{setting.Path}: unknown setting (Orleans' ClusterMembershipOptions has {string.Join(", ", Settings.Keys.Order())})");
                continue;
            }
            if (setting.Value is not { } text) continue;
            if (Problem(type, text) is { } problem) errors.Add($"{setting.Path}: {problem}, got \"{text}\"");
        }
        return errors;
    }

    private static string? Problem(Type type, string text)
    {
        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
                ? null
                : "must be a positive duration such as 00:00:05";
        }
        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1
                ? null
                : "must be a whole number of at least 1";
        }
        if (type == typeof(bool)) return bool.TryParse(text, out _) ? null : "must be true or false";
        return null;
    }
}
