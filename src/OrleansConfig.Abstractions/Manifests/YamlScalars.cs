using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OrleansConfig.Manifests;

/// <summary>
/// Types YAML scalars by the YAML 1.2 core schema: quoted scalars are strings; plain ones are null, booleans,
/// integers or floats when they look like them (so <c>port: 80</c> is a number and <c>port: "80"</c> a string,
/// and unlike YAML 1.1, <c>yes</c> and <c>on</c> stay strings).
/// </summary>
internal static partial class YamlScalars
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static ManifestNode Resolve(Scalar scalar, ScalarCache cache)
    {
        if (!scalar.Tag.IsEmpty)
        {
            var tag = scalar.Tag.Value;
            if (tag is StrTag or "!") return cache.String(scalar.Value);
            // An explicit core-schema tag types even a quoted value ("!!int '80'").
            if (tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal)) return cache.Typed(scalar.Value, ResolvePlain);
        }
        return scalar.Style == ScalarStyle.Plain ? cache.Typed(scalar.Value, ResolvePlain) : cache.String(scalar.Value);
    }

    public static ManifestNode ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ManifestNode.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return ManifestNode.Scalar(ManifestNodeKind.Boolean, text);
        }
        if (IsDecimal(text))
        {
            return Integer(text,
                long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null);
        }
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'o')
        {
            var digits = text.AsSpan(2);
            var hex = text[1] == 'x';
            if (digits.ContainsAnyExcept(hex ? "0123456789abcdefABCDEF" : "01234567")) return ManifestNode.String(text);
            return Integer(text, ParseUnsigned(digits, hex ? 16 : 8));
        }
        return FloatPattern().IsMatch(text) ? ManifestNode.Scalar(ManifestNodeKind.Float, text) : ManifestNode.String(text);
    }

    private static ManifestNode Integer(string text, long? value) => ManifestNode.Scalar(ManifestNodeKind.Integer, text, value);

    private static bool IsDecimal(string text)
    {
        var digits = text.AsSpan(text.Length > 0 && text[0] is '-' or '+' ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static long? ParseUnsigned(ReadOnlySpan<char> digits, int radix)
    {
        long value = 0;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
            if (value > (long.MaxValue - digit) / radix) return null;
            value = value * radix + digit;
        }
        return value;
    }

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
