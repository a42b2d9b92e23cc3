using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansConfig.Cli.Output;

/// <summary>
/// <c>-o yaml</c>: the JSON output written as block YAML the way kubectl writes it (a list's <c>- </c> at its key's
/// indentation), keys in the JSON's order. A string is plain unless YAML could read it as something else (a number, a
/// boolean, null, a comment, a mapping); then it is double-quoted with JSON's escapes, which YAML reads the same.
/// </summary>
internal static class Yaml
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    public static string FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder();
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Any()) WriteObject(root, 0, inlineFirst: false, text);
        else if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0) WriteArray(root, 0, text);
        else text.Append(Scalar(root)).Append('\n');
        return text.ToString();
    }

    private static void WriteObject(JsonElement value, int indent, bool inlineFirst, StringBuilder text)
    {
        var first = true;
        foreach (var property in value.EnumerateObject())
        {
            if (!(first && inlineFirst)) text.Append(' ', indent);
            first = false;
            text.Append(String(property.Name)).Append(':');
            WriteNested(property.Value, indent, text);
        }
    }

    private static void WriteArray(JsonElement value, int indent, StringBuilder text)
    {
        foreach (var item in value.EnumerateArray())
        {
            text.Append(' ', indent).Append("- ");
            if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any())
            {
                WriteObject(item, indent + 2, inlineFirst: true, text);
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0)
            {
                text.Length--;
                text.Append('\n');
                WriteArray(item, indent + 2, text);
            }
            else
            {
                text.Append(Scalar(item)).Append('\n');
            }
        }
    }

    /// <summary>After <c>key:</c>: a nested block on the next lines, or a scalar on the same line.</summary>
    private static void WriteNested(JsonElement value, int indent, StringBuilder text)
    {
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
        {
            text.Append('\n');
            WriteObject(value, indent + 2, inlineFirst: false, text);
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            text.Append('\n');
            WriteArray(value, indent, text);
        }
        else
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => String(value.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => value.GetRawText(),
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.ValueKind, "not a JSON value"),
    };

    internal static string String(string value) => IsPlain(value) ? value : Quoted(value);

    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    private static bool IsPlain(string value)
    {
        if (value.Length == 0 || Reserved.Contains(value)) return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':' or '@' or '=' or '+' or ' ' or ',')) return false;
        }
        if (value[0] is ' ' or '-' or ':' or ',' or '@' || value[^1] is ' ' or ':') return false;
        if (value.Contains(": ", StringComparison.Ordinal)) return false;
        // Something YAML may read as a number, a time or a date stays a string only when quoted; an IPv4 address cannot be one.
        if (value[0] is '+' or '.' || char.IsAsciiDigit(value[0]))
        {
            return value.Count(c => c == '.') == 3 && IPAddress.TryParse(value, out _);
        }
        return !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
