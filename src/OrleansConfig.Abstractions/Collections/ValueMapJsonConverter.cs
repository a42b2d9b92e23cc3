using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansConfig.Collections;

internal sealed class ValueMapJsonConverter : JsonConverter<ValueMap>
{
    public override ValueMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object of strings");
        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            pairs.Add(new(key, reader.GetString() ?? ""));
        }
        return ValueMap.From(pairs);
    }

    public override void Write(Utf8JsonWriter writer, ValueMap value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value) writer.WriteString(key, item);
        writer.WriteEndObject();
    }
}
