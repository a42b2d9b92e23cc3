using System.Globalization;

namespace OrleansConfig.Cli.Output;

/// <summary>The table of <c>subscribers</c>: one row per ServiceConfig, EndpointsConfig or ServiceCatalog the cluster heard from.</summary>
internal static class SubscribersTable
{
    public static string Render(IReadOnlyList<SubscriberStatus> subscribers, DateTimeOffset now)
    {
        var table = new Table("CLIENT", "HOST", "PROCESS", "KIND", "HANDLERS", "APPLIED", "LAG", "RESYNCS", "LAST ERROR", "AGE");
        foreach (var s in subscribers)
        {
            table.Add(s.Client, s.Host, $"{s.ProcessName}[{s.ProcessId}]", s.Kind, Handlers(s.Handlers), s.Applied ?? "<none>",
                Lag(s), s.Resyncs.ToString(CultureInfo.InvariantCulture), s.LastError ?? "<none>", Output.Render.Age(s.FirstSeen, now));
        }
        return table.ToString();
    }

    /// <summary>
    /// Versions behind the union now, then seconds behind as of the last report: <c>0</c>, <c>3 (1.5s)</c>, <c>? (2s)</c>.
    /// </summary>
    public static string Lag(SubscriberStatus s)
    {
        var versions = s.VersionsBehind?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var seconds = s.SecondsBehind.ToString("0.#", CultureInfo.InvariantCulture);
        return s.VersionsBehind == 0 && s.SecondsBehind == 0 ? "0" : $"{versions} ({seconds}s)";
    }

    private static string Handlers(IReadOnlyList<string> handlers) => handlers.Count == 0 ? "<none>" : string.Join(",", handlers);
}
