using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansConfig.Proxy;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProxyState))]
internal sealed partial class ProxyJson : JsonSerializerContext;
