using System.Text.RegularExpressions;

namespace OrleansConfig.Sources.Api;

/// <summary>
/// Checks label and field selectors as the API server would (apimachinery's <c>labels.Parse</c> and
/// <c>fields.ParseSelector</c>), so a selector it would refuse stops the silo at start instead of failing every list.
/// Each method returns null when the selector is valid, or the reason it is not.
/// </summary>
internal static partial class ApiSelectors
{
    /// <summary>The fields a field selector may name: the ones Services and their Endpoints share, with the same values.</summary>
    public static readonly IReadOnlyList<string> Fields = ["metadata.name", "metadata.namespace"];

    /// <summary>
    /// Checks a label selector: comma-separated requirements <c>key</c>, <c>!key</c>, <c>key=value</c>,
    /// <c>key==value</c>, <c>key!=value</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;1</c>,
    /// <c>key&lt;1</c>; keys are qualified names (an optional DNS subdomain prefix and <c>/</c>), values label values.
    /// </summary>
    public static string? CheckLabelSelector(string selector)
    {
        var requirements = SplitOutsideParentheses(selector);
        if (requirements is null) return "unbalanced parentheses";
        foreach (var raw in requirements)
        {
            var requirement = raw.Trim();
            if (requirement.Length == 0) return "empty requirement (a comma too many)";
            if (CheckRequirement(requirement) is { } error) return $"\"{requirement}\": {error}";
        }
        return null;
    }

    /// <summary>Checks a field selector: comma-separated <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>
    /// over <see cref="Fields"/>; <c>\</c> escapes <c>,</c>, <c>=</c>, <c>!</c> and <c>\</c> in a value.</summary>
    public static string? CheckFieldSelector(string selector)
    {
        foreach (var raw in SplitUnescaped(selector))
        {
            var term = raw.Trim();
            if (term.Length == 0) return "empty term (a comma too many)";
            var at = IndexOfOperator(term, out var length);
            if (at < 0) return $"\"{term}\": needs an operator (=, == or !=)";
            var field = term[..at].Trim();
            if (field.Length == 0) return $"\"{term}\": names no field";
            if (!Fields.Contains(field, StringComparer.Ordinal))
            {
                return $"\"{term}\": field \"{field}\" is not supported; use {string.Join(" or ", Fields)} " +
                    "(the fields Services and their Endpoints share)";
            }
            if (BadEscape(term[(at + length)..]) is { } escape) return $"\"{term}\": {escape}";
        }
        return null;
    }

    /// <summary>Checks a comma-separated list of namespaces (each a DNS label); the names, in order, without repeats.</summary>
    public static string? CheckNamespaces(string namespaces, out List<string> names)
    {
        names = [];
        foreach (var raw in namespaces.Split(','))
        {
            var name = raw.Trim();
            if (name.Length == 0) return "empty namespace (a comma too many)";
            if (name.Length > 63 || !DnsLabel().IsMatch(name))
            {
                return $"\"{name}\" is not a namespace name (at most 63 lower-case letters, digits and '-', starting and ending " +
                    "with a letter or digit)";
            }
            if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
        }
        return null;
    }

    /// <summary>
    /// The selectors that pick the EndpointSlices of the Services the given (valid) selectors pick: the label selector as
    /// it is (the EndpointSlice controller copies a Service's labels onto its slices, as the Endpoints controller does),
    /// <c>metadata.namespace</c> terms as field terms, and <c>metadata.name</c> terms as terms on the
    /// <c>kubernetes.io/service-name</c> label (a slice's own name is not its Service's). Null for an empty one.
    /// </summary>
    public static (string? Labels, string? Fields) ForSlices(string? labelSelector, string? fieldSelector)
    {
        List<string> labels = labelSelector is null ? [] : [labelSelector];
        List<string> fields = [];
        foreach (var raw in fieldSelector is null ? [] : SplitUnescaped(fieldSelector))
        {
            var term = raw.Trim();
            var at = IndexOfOperator(term, out var length);
            var field = term[..at].Trim();
            if (field != "metadata.name")
            {
                fields.Add(term);
                continue;
            }
            // A Service name holds no character a field selector escapes, nor one a label value may not hold.
            var op = term.Substring(at, length) == "!=" ? "!=" : "=";
            labels.Add($"{EndpointSlice.ServiceNameLabel}{op}{term[(at + length)..].Trim()}");
        }
        return (labels.Count == 0 ? null : string.Join(',', labels), fields.Count == 0 ? null : string.Join(',', fields));
    }

    private static string? CheckRequirement(string requirement)
    {
        if (requirement[0] == '!')
        {
            var key = requirement[1..].Trim();
            return key.Length == 0 ? "'!' needs a key" : CheckKey(key);
        }
        var set = SetOperator().Match(requirement);
        if (set.Success)
        {
            if (CheckKey(set.Groups["key"].Value) is { } keyError) return keyError;
            var values = set.Groups["values"].Value;
            if (values.Trim().Length == 0) return $"'{set.Groups["op"].Value}' needs at least one value";
            foreach (var value in values.Split(','))
            {
                if (CheckValue(value.Trim()) is { } valueError) return valueError;
            }
            return null;
        }
        var at = requirement.IndexOfAny(['=', '!', '<', '>']);
        if (at < 0)
        {
            // A bare key (exists), unless it is a set requirement gone wrong.
            if (requirement.Contains('(', StringComparison.Ordinal) || requirement.Contains(' ', StringComparison.Ordinal))
            {
                return "expected key, !key, key=value, key==value, key!=value, key in (a,b) or key notin (a,b)";
            }
            return CheckKey(requirement);
        }
        var op = requirement[at..] switch
        {
            var rest when rest.StartsWith("==", StringComparison.Ordinal) => "==",
            var rest when rest.StartsWith("!=", StringComparison.Ordinal) => "!=",
            var rest when rest.StartsWith('=') => "=",
            var rest when rest.StartsWith('<') => "<",
            var rest when rest.StartsWith('>') => ">",
            _ => null,
        };
        if (op is null) return "'!' must come before the key or as part of '!='";
        var name = requirement[..at].Trim();
        var operand = requirement[(at + op.Length)..].Trim();
        if (name.Length == 0) return $"'{op}' needs a key before it";
        if (CheckKey(name) is { } error) return error;
        if (op is "<" or ">")
        {
            return long.TryParse(operand, System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out _)
                ? null
                : $"'{op}' needs an integer, got \"{operand}\"";
        }
        return CheckValue(operand);
    }

    private static string? CheckKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0 || prefix.Length > 253 || !DnsSubdomain().IsMatch(prefix))
            {
                return $"key \"{key}\": prefix \"{prefix}\" must be a DNS subdomain (lower-case letters, digits, '-' and '.', " +
                    "at most 253 characters)";
            }
        }
        if (name.Length == 0 || name.Length > 63 || !QualifiedName().IsMatch(name))
        {
            return $"key \"{key}\": name \"{name}\" must be at most 63 letters, digits, '-', '_' and '.', starting and ending " +
                "with a letter or digit";
        }
        return null;
    }

    private static string? CheckValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value))
            ? null
            : $"value \"{value}\" must be empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a " +
                "letter or digit";

    /// <summary>The requirements, split at commas outside parentheses; null when the parentheses do not balance.</summary>
    private static List<string>? SplitOutsideParentheses(string selector)
    {
        List<string> parts = [];
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    if (++depth > 1) return null;
                    break;
                case ')':
                    if (--depth < 0) return null;
                    break;
                case ',' when depth == 0:
                    parts.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }
        if (depth != 0) return null;
        parts.Add(selector[start..]);
        return parts;
    }

    private static IEnumerable<string> SplitUnescaped(string selector)
    {
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '\\') i++;
            else if (selector[i] == ',')
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }

    /// <summary>Where the first unescaped operator of a field term starts, and its length.</summary>
    private static int IndexOfOperator(string term, out int length)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }
            if (term[i] == '!' && i + 1 < term.Length && term[i + 1] == '=')
            {
                length = 2;
                return i;
            }
            if (term[i] == '=')
            {
                length = i + 1 < term.Length && term[i + 1] == '=' ? 2 : 1;
                return i;
            }
        }
        length = 0;
        return -1;
    }

    private static string? BadEscape(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is '=' or '!') return $"'{value[i]}' in a value must be escaped as '\\{value[i]}'";
            if (value[i] != '\\') continue;
            if (i + 1 >= value.Length || value[i + 1] is not (',' or '=' or '!' or '\\'))
            {
                return "'\\' must escape ',', '=', '!' or '\\'";
            }
            i++;
        }
        return null;
    }

    [GeneratedRegex(@"^(?<key>[^\s!=<>(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetOperator();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
