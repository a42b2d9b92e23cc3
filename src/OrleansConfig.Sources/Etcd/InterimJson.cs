using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansConfig.Etcd;

// Interim: replaced by Manifest.Parse from the manifest branch.
internal static class InterimJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new IntOrStringConverter() },
    };

    private sealed class IntOrStringConverter : JsonConverter<IntOrString>
    {
        public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : reader.GetString() ?? "";

        public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
        {
            if (value.IsInt) writer.WriteNumberValue(value.IntValue ?? 0);
            else writer.WriteStringValue(value.StringValue);
        }
    }
}
