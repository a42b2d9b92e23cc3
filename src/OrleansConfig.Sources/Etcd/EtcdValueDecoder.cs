using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansConfig.Sources.Etcd;

/// <summary>
/// Turns one etcd value into the Service, Endpoints or EndpointSlice its key names, or says why it can't. The key names
/// the item: a value without a namespace takes the key's, and a value whose kind, name or namespace
/// contradicts the key is bad.
/// </summary>
internal static class EtcdValueDecoder
{
    public static bool TryDecode(
        EtcdKey key,
        ReadOnlyMemory<byte> value,
        ManifestLimits limits,
        [NotNullWhen(true)] out IConfigItem? item,
        [NotNullWhen(false)] out string? error) =>
        TryDecode(key, value, limits, FieldValidation.Ignore, out item, out error, out _);

    /// <param name="key">Where the value was stored: its kind, namespace and name.</param>
    /// <param name="value">The stored JSON.</param>
    /// <param name="limits">The size limits a manifest must keep.</param>
    /// <param name="fieldValidation">What to do with fields Kubernetes does not know.</param>
    /// <param name="item">The decoded Service or Endpoints.</param>
    /// <param name="error">Why the value cannot be used.</param>
    /// <param name="warnings">With <see cref="FieldValidation.Warn"/>, the value's unknown fields (<c>unknown field
    /// "spec.sessionAffinty"</c>).</param>
    public static bool TryDecode(
        EtcdKey key,
        ReadOnlyMemory<byte> value,
        ManifestLimits limits,
        FieldValidation fieldValidation,
        [NotNullWhen(true)] out IConfigItem? item,
        [NotNullWhen(false)] out string? error,
        out IReadOnlyList<string> warnings)
    {
        item = null;
        warnings = [];
        if (value.Length > limits.MaxBytes)
        {
            // Refused before it is parsed: an oversized value costs no more than its bytes.
            error = $"value is {value.Length} bytes, more than the limit of {limits.MaxBytes} bytes";
            return false;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(value.Span,
                documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = limits.MaxDepth });
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }
        if (node is not JsonObject obj)
        {
            error = "must be a JSON object";
            return false;
        }

        error = MatchKey(key, obj);
        if (error is not null) return false;

        Manifest manifest;
        try
        {
            manifest = Manifest.Parse(obj.ToJsonString(), fieldValidation, limits);
        }
        catch (ManifestException ex)
        {
            error = string.Join("; ", ex.Errors);
            return false;
        }
        item = key.Kind switch
        {
            EtcdKind.Service => manifest.Services.Single(),
            EtcdKind.Endpoints => manifest.Endpoints.Single(),
            _ => manifest.EndpointSlices.Single(),
        };
        warnings = manifest.Warnings;
        return true;
    }

    /// <summary>Checks the object against its key, filling in the kind and namespace the key implies.</summary>
    private static string? MatchKey(EtcdKey key, JsonObject obj)
    {
        var kindName = KindName(key.Kind);
        switch (obj["kind"])
        {
            case null:
                obj["kind"] = kindName;
                break;
            case JsonValue kind when kind.TryGetValue<string>(out var k) && k == kindName:
                break;
            case var other:
                return $"kind: must be {kindName} under this key, got {other.ToJsonString()}";
        }
        obj["apiVersion"] ??= key.Kind == EtcdKind.EndpointSlice ? "discovery.k8s.io/v1" : "v1";

        if (obj["metadata"] is not JsonObject metadata)
        {
            return obj["metadata"] is null ? "metadata.name: is required" : "metadata: must be an object";
        }
        if (metadata["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
        {
            return "metadata.name: is required";
        }
        if (name != key.Name)
        {
            return $"metadata.name: \"{name}\" does not match the key's name \"{key.Name}\"";
        }
        switch (metadata["namespace"])
        {
            case null:
                metadata["namespace"] = key.Namespace;
                break;
            case JsonValue nsValue when nsValue.TryGetValue<string>(out var ns):
                if (ns.Length == 0) metadata["namespace"] = key.Namespace;
                else if (ns != key.Namespace) return $"metadata.namespace: \"{ns}\" does not match the key's namespace \"{key.Namespace}\"";
                break;
            default:
                return "metadata.namespace: must be a string";
        }
        return null;
    }

    private static string KindName(EtcdKind kind) => kind switch
    {
        EtcdKind.Service => "Service",
        EtcdKind.Endpoints => "Endpoints",
        _ => "EndpointSlice",
    };
}
