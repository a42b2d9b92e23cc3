using System.Buffers;
using System.Text;
using System.Text.Json;
using OrleansConfig.Validation;

namespace OrleansConfig.Manifests;

/// <summary>
/// What a v1 Endpoints cannot say about its addresses (<c>serving</c>, <c>terminating</c>, <c>zone</c>,
/// <c>hints.forZones</c>), carried in one annotation so <c>get -o json</c> stays a valid v1 <c>List</c> and applies back
/// unchanged. Its value is a JSON object keyed by IP, listing only the addresses with something to say:
/// <c>{"10.0.0.5":{"serving":true,"terminating":true,"zone":"zone-a","forZones":["zone-a"]}}</c>.
/// </summary>
internal static class EndpointConditions
{
    /// <summary>The annotation's key.</summary>
    public const string Annotation = "endpoints.orleans-config.io/conditions";

    private const int MaxZoneLength = 253;

    /// <summary>The annotation's value for <paramref name="endpoints"/>, or null when no address has anything to say.</summary>
    public static string? Write(Endpoints endpoints)
    {
        SortedDictionary<string, EndpointAddress>? said = null;
        foreach (var subset in endpoints.Subsets)
        {
            foreach (var address in subset.Addresses.Concat(subset.NotReadyAddresses))
            {
                if (!HasConditions(address)) continue;
                said ??= new SortedDictionary<string, EndpointAddress>(StringComparer.Ordinal);
                // Keyed by IP: the first occurrence speaks for an IP listed in several subsets.
                said.TryAdd(address.Ip, address);
            }
        }
        if (said is null) return null;

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (ip, address) in said)
            {
                writer.WriteStartObject(ip);
                if (address.Serving is { } serving) writer.WriteBoolean("serving", serving);
                if (address.Terminating is { } terminating) writer.WriteBoolean("terminating", terminating);
                if (address.Zone is { } zone) writer.WriteString("zone", zone);
                if (address.ForZones.Count > 0)
                {
                    writer.WriteStartArray("forZones");
                    foreach (var forZone in address.ForZones) writer.WriteStringValue(forZone);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <paramref name="endpoints"/> with the conditions of <paramref name="value"/> set on every address of each IP it
    /// names. Errors go to <paramref name="errors"/> at its current path (the annotation's), each naming its IP and field.
    /// </summary>
    public static Endpoints Read(Endpoints endpoints, string value, FieldErrorList errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException ex)
        {
            errors.Add($"must be a JSON object keyed by IP address: {ex.Message}");
            return endpoints;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"must be a JSON object keyed by IP address, got {Describe(document.RootElement)}");
                return endpoints;
            }
            var known = endpoints.Subsets.SelectMany(s => s.Addresses.Concat(s.NotReadyAddresses)).Select(a => a.Ip)
                .ToHashSet(StringComparer.Ordinal);
            Dictionary<string, Func<EndpointAddress, EndpointAddress>> changes = new(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                using var scope = errors.Path.Key(entry.Name);
                if (!known.Contains(entry.Name))
                {
                    errors.Add("is not an address of this Endpoints");
                    continue;
                }
                if (ReadEntry(entry.Value, errors) is { } change) changes[entry.Name] = change;
            }
            if (changes.Count == 0) return endpoints;
            return endpoints with
            {
                Subsets = ValueList.From(endpoints.Subsets.Select(s => s with
                {
                    Addresses = Apply(s.Addresses, changes),
                    NotReadyAddresses = Apply(s.NotReadyAddresses, changes),
                })),
            };
        }
    }

    private static bool HasConditions(EndpointAddress address) =>
        address.Serving is not null || address.Terminating is not null || address.Zone is not null || address.ForZones.Count > 0;

    private static ValueList<EndpointAddress> Apply(
        ValueList<EndpointAddress> addresses, Dictionary<string, Func<EndpointAddress, EndpointAddress>> changes) =>
        addresses.Any(a => changes.ContainsKey(a.Ip))
            ? ValueList.From(addresses.Select(a => changes.TryGetValue(a.Ip, out var change) ? change(a) : a))
            : addresses;

    private static Func<EndpointAddress, EndpointAddress>? ReadEntry(JsonElement entry, FieldErrorList errors)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"must be an object, got {Describe(entry)}");
            return null;
        }
        bool? serving = null, terminating = null;
        string? zone = null;
        var forZones = ValueList<string>.Empty;
        var start = errors.Count;
        foreach (var field in entry.EnumerateObject())
        {
            using var scope = errors.Path.Field(field.Name);
            switch (field.Name)
            {
                case "serving": serving = ReadBool(field.Value, errors); break;
                case "terminating": terminating = ReadBool(field.Value, errors); break;
                case "zone": zone = ReadZone(field.Value, errors); break;
                case "forZones": forZones = ReadZones(field.Value, errors); break;
                default: break; // Unknown fields are ignored, as everywhere on input.
            }
        }
        if (errors.Count > start) return null;
        return address => address with { Serving = serving, Terminating = terminating, Zone = zone, ForZones = forZones };
    }

    private static bool? ReadBool(JsonElement value, FieldErrorList errors)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        if (value.ValueKind != JsonValueKind.Null) errors.Add($"must be true or false, got {Describe(value)}");
        return null;
    }

    private static string? ReadZone(JsonElement value, FieldErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"must be a string, got {Describe(value)}");
            return null;
        }
        var zone = value.GetString()!;
        if (zone.Length is 0 or > MaxZoneLength) errors.Add($"must be 1 to {MaxZoneLength} characters, got {zone.Length}");
        return zone.Length == 0 ? null : zone;
    }

    private static ValueList<string> ReadZones(JsonElement value, FieldErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return ValueList<string>.Empty;
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"must be a list of zone names, got {Describe(value)}");
            return ValueList<string>.Empty;
        }
        List<string> zones = [];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            using var scope = errors.Path.Index(i++);
            if (ReadZone(item, errors) is { } zone) zones.Add(zone);
            else if (item.ValueKind == JsonValueKind.Null) errors.Add("must be a string, got null");
        }
        return ValueList.From(zones);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
