using System.Text.Json.Serialization;

namespace OrleansConfig.Manifests.Json;

/// <summary>Source-generated serialization of the Kubernetes v1 shapes <see cref="Manifest"/> writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(IntOrStringJsonConverter)])]
[JsonSerializable(typeof(ServiceDto))]
[JsonSerializable(typeof(EndpointsDto))]
[JsonSerializable(typeof(EndpointSliceDto))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
