using System.Text.Json;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>Reads the CLI's JSON output (a v1 List) as <c>namespace/name@source</c> strings.</summary>
internal static class ListJson
{
    public static string[] Items(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("List", root.GetProperty("kind").GetString());
        return [.. root.GetProperty("items").EnumerateArray().Select(Describe).Order(StringComparer.Ordinal)];
    }

    private static string Describe(JsonElement item)
    {
        var metadata = item.GetProperty("metadata");
        var ns = metadata.TryGetProperty("namespace", out var n) ? n.GetString() : "default";
        var source =
            metadata.TryGetProperty("annotations", out var a) && a.TryGetProperty("orleans-config/source", out var s) ? s.GetString() : "";
        return $"{item.GetProperty("kind").GetString()} {ns}/{metadata.GetProperty("name").GetString()}@{source}";
    }
}
