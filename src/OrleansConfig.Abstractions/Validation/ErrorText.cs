using System.Globalization;
using System.Text;

namespace OrleansConfig.Validation;

/// <summary>How offending values appear in error messages: quoted, escaped, and cut short when huge.</summary>
internal static class ErrorText
{
    /// <summary>Longer values are cut, so one bad 1 MiB annotation cannot make a 1 MiB message.</summary>
    public const int MaxQuotedLength = 64;

    public static string Quote(string? value) => Quote(value, MaxQuotedLength);

    public static string Quote(string? value, int maxLength)
    {
        value ??= "";
        var shown = value.Length > maxLength ? value.AsSpan(0, maxLength) : value.AsSpan();
        var text = new StringBuilder(shown.Length + 24).Append('"');
        foreach (var c in shown)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    // Control characters (NUL above all) are shown, not hidden, since they make a value invalid.
                    if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
        if (shown.Length < value.Length) text.Append("... (").Append(value.Length).Append(" characters)");
        return text.ToString();
    }
}
