using System.Text.RegularExpressions;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>
/// The rule every source name follows (a DNS-1123 label, dots allowed): what <c>sources</c> shows and grains are keyed by.
/// One rule for the CLI, the sources' settings and the grains, which refuse a name that breaks it.
/// </summary>
public static partial class SourceName
{
    /// <summary>The longest source name (a DNS label's limit).</summary>
    public const int MaxLength = 63;

    /// <summary>Null when <paramref name="name"/> is a valid source name, else why not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "must not be empty";
        if (name.Length > MaxLength) return $"must be at most {MaxLength} characters, got {name.Length}";
        if (!Pattern().IsMatch(name))
        {
            return $"{ErrorText.Quote(name)} must consist of lower-case letters, digits, '-' and '.', and start and end with a letter " +
                $"or digit";
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
