using System.Text.Json;
using OrleansConfig.Proxy;

namespace OrleansConfig.Cli.Output;

/// <summary>How <c>proxy --list</c> shows a running proxy's table.</summary>
internal static class ProxyRender
{
    public static string Table(ProxyState state)
    {
        var table = new Table("NAMESPACE", "NAME", "PORT-NAME", "SOURCE", "LISTEN", "BACKENDS");
        foreach (var row in state.Ports)
        {
            table.Add(row.Namespace, row.Name, row.Port.Length == 0 ? "<unset>" : row.Port, row.Source,
                row.Listen ?? $"<{row.Error ?? "not listening"}>", Backends(row.Backends, row.Terminating));
        }
        return table.ToString();
    }

    /// <summary>One compact line: the document the proxy sent, for scripts.</summary>
    public static string Json(ProxyState state) => JsonSerializer.Serialize(state, ProxyJson.Default.ProxyState);

    /// <summary>Like kubectl's ENDPOINTS: the first three and a count of the rest; fallback ones marked terminating.</summary>
    private static string Backends(IReadOnlyList<string> backends, bool terminating)
    {
        if (backends.Count == 0) return "<none>";
        var shown = string.Join(",", backends.Take(3).Select(b => terminating ? $"{b} (terminating)" : b));
        return backends.Count > 3 ? $"{shown} + {backends.Count - 3} more..." : shown;
    }
}
