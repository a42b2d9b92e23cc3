using System.Text.Json;

namespace OrleansConfig.Reporting;

/// <summary>
/// The JSON of <c>sources -o json</c>, also served by the silo at <c>/api/sources</c>: an array of
/// <c>{name, services, endpoints, sequence, lastChange, lastHeard, synced, lastError, lastErrorAt, lastWarning, stale,
/// dropped, staleAfter, dropAfter}</c>.
/// </summary>
internal static class SourceStatusJson
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<SourceStatus> sources, bool indented = true) =>
        JsonSerializer.Serialize(sources, indented ? Indented : Compact);
}
