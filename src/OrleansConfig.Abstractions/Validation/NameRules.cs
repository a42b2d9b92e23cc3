namespace OrleansConfig.Validation;

/// <summary>
/// Kubernetes' name formats (k8s.io/apimachinery/pkg/util/validation). Each check returns null when the
/// value is valid, otherwise the whole message, naming the value and the rule it breaks.
/// </summary>
internal static class NameRules
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int IanaServiceNameMaxLength = 15;

    private const string Dns1123LabelRule =
        "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainRule =
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string Dns1035LabelRule =
        "must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character";

    private const string QualifiedNamePartRule =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    public static string? Dns1123Label(string value) =>
        value.Length > Dns1123LabelMaxLength ? Invalid("DNS-1123 label", value, TooLong(Dns1123LabelMaxLength))
        : IsDns1123Label(value) ? null
        : Invalid("DNS-1123 label", value, Dns1123LabelRule);

    public static string? Dns1123Subdomain(string value) =>
        value.Length > Dns1123SubdomainMaxLength ? Invalid("DNS-1123 subdomain", value, TooLong(Dns1123SubdomainMaxLength))
        : IsDns1123Subdomain(value) ? null
        : Invalid("DNS-1123 subdomain", value, Dns1123SubdomainRule);

    public static string? Dns1035Label(string value) =>
        value.Length > Dns1035LabelMaxLength ? Invalid("DNS-1035 label", value, TooLong(Dns1035LabelMaxLength))
        : IsDns1123Label(value) && IsLetter(value[0]) ? null
        : Invalid("DNS-1035 label", value, Dns1035LabelRule);

    /// <summary>
    /// A label or annotation key: <c>[prefix/]name</c>, prefix a DNS-1123 subdomain. Kubernetes checks
    /// annotation keys lower-cased, so <paramref name="prefixIgnoresCase"/> lets their prefix hold capitals.
    /// </summary>
    public static string? QualifiedName(string value, string what, bool prefixIgnoresCase = false)
    {
        var slash = value.IndexOf('/');
        var name = value.AsSpan(slash + 1);
        if (name.Contains('/'))
        {
            return Invalid(what, value, "must be a name with an optional DNS-1123 subdomain prefix and '/' (e.g. \"example.com/name\")");
        }
        if (slash >= 0)
        {
            var prefix = value[..slash];
            if (prefix.Length == 0) return Invalid(what, value, "prefix part must be non-empty");
            if (prefix.Length > Dns1123SubdomainMaxLength) return Invalid(what, value, "prefix part " + TooLong(Dns1123SubdomainMaxLength));
            if (!IsDns1123Subdomain(prefixIgnoresCase ? prefix.ToLowerInvariant() : prefix))
            {
                return Invalid(what, value, "prefix part " + Dns1123SubdomainRule);
            }
        }
        if (name.IsEmpty) return Invalid(what, value, "name part must be non-empty");
        if (name.Length > QualifiedNameMaxLength) return Invalid(what, value, "name part " + TooLong(QualifiedNameMaxLength));
        return IsQualifiedNamePart(name) ? null : Invalid(what, value, "name part " + QualifiedNamePartRule);
    }

    /// <summary>A label value: empty, or a qualified name part of at most 63 characters.</summary>
    public static string? LabelValue(string value) =>
        value.Length > LabelValueMaxLength ? Invalid("label value", value, TooLong(LabelValueMaxLength))
        : value.Length == 0 || IsQualifiedNamePart(value) ? null
        : Invalid("label value", value, QualifiedNamePartRule);

    /// <summary>A named port (IANA_SVC_NAME, RFC 6335), as <c>targetPort</c> may be.</summary>
    public static string? IanaServiceName(string value)
    {
        if (value.Length > IanaServiceNameMaxLength) return Invalid("port name", value, TooLong(IanaServiceNameMaxLength));
        var hasLetter = false;
        foreach (var c in value)
        {
            if (!IsLowerAlphanumeric(c) && c != '-')
            {
                return Invalid("port name", value, "must contain only lower case alphanumeric characters (a-z, 0-9) and '-'");
            }
            hasLetter |= IsLetter(c);
        }
        if (!hasLetter) return Invalid("port name", value, "must contain at least one letter (a-z)");
        if (value.Contains("--", StringComparison.Ordinal)) return Invalid("port name", value, "must not contain consecutive '-'");
        if (value[0] == '-' || value[^1] == '-') return Invalid("port name", value, "must not begin or end with '-'");
        return null;
    }

    public static bool IsDns1123Label(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !IsLowerAlphanumeric(value[0]) || !IsLowerAlphanumeric(value[^1])) return false;
        foreach (var c in value)
        {
            if (!IsLowerAlphanumeric(c) && c != '-') return false;
        }
        return true;
    }

    public static bool IsDns1123Subdomain(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return false;
        foreach (var range in value.Split('.'))
        {
            if (!IsDns1123Label(value[range])) return false;
        }
        return true;
    }

    private static bool IsQualifiedNamePart(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1])) return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        }
        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsLetter(char c) => char.IsAsciiLetterLower(c);

    private static string TooLong(int max) => $"must be no more than {max} characters";

    private static string Invalid(string what, string value, string rule) => $"invalid {what} {ErrorText.Quote(value)}: {rule}";
}
