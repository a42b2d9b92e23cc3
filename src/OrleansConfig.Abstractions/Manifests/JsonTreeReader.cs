using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansConfig.Manifests;

/// <summary>Reads JSON into a <see cref="ManifestNode"/> tree with <see cref="Utf8JsonReader"/>, strictly (RFC 8259).</summary>
internal static class JsonTreeReader
{
    public static ManifestDocument Read(string text, ManifestLimits limits)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // One level of slack so the builder, which knows positions, reports the limit first.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        var builder = new NodeTreeBuilder(limits.MaxDepth, long.MaxValue);
        var scalars = new ScalarCache();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        if (!builder.Start(ManifestNode.Map())) throw Refused(bytes, reader.TokenStartIndex, builder.LimitError);
                        break;
                    case JsonTokenType.StartArray:
                        if (!builder.Start(ManifestNode.Sequence())) throw Refused(bytes, reader.TokenStartIndex, builder.LimitError);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        builder.End();
                        break;
                    case JsonTokenType.PropertyName:
                        builder.Key(reader.GetString()!);
                        break;
                    case JsonTokenType.String:
                        builder.Value(scalars.String(reader.GetString()!));
                        break;
                    case JsonTokenType.Number:
                        builder.Value(scalars.Typed(Encoding.UTF8.GetString(reader.ValueSpan), Number));
                        break;
                    case JsonTokenType.True:
                        builder.Value(ManifestNode.True);
                        break;
                    case JsonTokenType.False:
                        builder.Value(ManifestNode.False);
                        break;
                    case JsonTokenType.Null:
                        builder.Value(ManifestNode.Null);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0, ReaderMessage(ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            // GetString refuses escapes that are not valid UTF-16 (a lone surrogate such as "\ud800").
            throw Invalid(bytes, reader.TokenStartIndex, ex.Message);
        }
        return new ManifestDocument(builder.Root, builder.Errors);
    }

    /// <summary>A JSON number's text decides its node: an integer (null when past 64 bits) or, with a fraction or
    /// exponent, a float.</summary>
    private static ManifestNode Number(string text)
    {
        if (text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0) return ManifestNode.Scalar(ManifestNodeKind.Float, text);
        return ManifestNode.Scalar(ManifestNodeKind.Integer, text,
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null);
    }

    /// <summary>Drops the reader's own position suffix and its advice about reader options, which callers cannot change.</summary>
    private static string ReaderMessage(string message)
    {
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        return message.Replace(" Change the reader options.", "", StringComparison.Ordinal);
    }

    private static ManifestException Invalid(byte[] bytes, long offset, string message)
    {
        var (line, byteInLine) = Position(bytes, offset);
        return Invalid(line, byteInLine, message);
    }

    /// <summary>A document that is valid JSON but over a limit.</summary>
    private static ManifestException Refused(byte[] bytes, long offset, string message)
    {
        var (line, byteInLine) = Position(bytes, offset);
        return new([new FieldError("", $"{message} (line {line + 1}, byte {byteInLine + 1})")]);
    }

    /// <summary>The reader tracks lines only for its own errors; ours are rare, so a scan is fine.</summary>
    private static (long Line, long ByteInLine) Position(byte[] bytes, long offset)
    {
        var before = bytes.AsSpan(0, (int)offset);
        return (before.Count((byte)'\n'), offset - before.LastIndexOf((byte)'\n') - 1);
    }

    /// <summary>Positions are zero-based from the reader and shown one-based, like YAML's.</summary>
    private static ManifestException Invalid(long line, long byteInLine, string message) =>
        new([new FieldError("", $"invalid JSON at line {line + 1}, byte {byteInLine + 1}: {message}")]);
}
