using System.Text.Json;

namespace OrleansConfig.Reporting;

/// <summary>
/// The JSON of <c>subscribers -o json</c>, also served by the silo at <c>/api/subscribers</c>: an array of
/// <see cref="SubscriberStatus"/>.
/// </summary>
internal static class SubscriberStatusJson
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<SubscriberStatus> subscribers, bool indented = true) =>
        JsonSerializer.Serialize(subscribers, indented ? Indented : Compact);
}
