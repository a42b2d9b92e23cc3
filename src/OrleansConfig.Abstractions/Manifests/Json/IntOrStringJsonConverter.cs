using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansConfig.Manifests.Json;

/// <summary>Writes <c>targetPort</c> as Kubernetes does: a number, or a string for a named port.</summary>
internal sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetInt32(),
            JsonTokenType.String => reader.GetString()!,
            _ => throw new JsonException($"expected a number or a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.StringValue is { } name) writer.WriteStringValue(name);
        else writer.WriteNumberValue(value.IntValue ?? 0);
    }
}
