using System.Globalization;
using OrleansConfig.Reporting;

namespace OrleansConfig.Cli.Output;

/// <summary>How Services, Endpoints and sources look in a table or as JSON.</summary>
internal static class Render
{
    private const string None = "<none>";

    public static IReadOnlyList<T> Sorted<T>(IEnumerable<T> items) where T : IConfigItem => UnionOrder.Sorted(items);

    public static string ServicesTable(IReadOnlyList<Service> services)
    {
        var table = new Table("NAMESPACE", "NAME", "SOURCE", "TYPE", "CLUSTER-IP", "PORT(S)");
        foreach (var s in services)
        {
            table.Add(s.Metadata.Namespace, s.Metadata.Name, Or(s.Source()), s.Spec.Type ?? "ClusterIP",
                Or(s.Spec.ClusterIP), Ports(s.Spec.Ports));
        }
        return table.ToString();
    }

    public static string EndpointsTable(IReadOnlyList<Endpoints> endpoints)
    {
        var table = new Table("NAMESPACE", "NAME", "SOURCE", "ENDPOINTS");
        foreach (var e in endpoints) table.Add(e.Metadata.Namespace, e.Metadata.Name, Or(e.Source()), Addresses(e));
        return table.ToString();
    }

    public static string SourcesTable(IReadOnlyList<SourceStatus> sources, DateTimeOffset now)
    {
        var table = new Table("NAME", "SERVICES", "ENDPOINTS", "SYNCED", "LAST CHANGE", "LAST HEARD", "ERROR", "WARNING");
        foreach (var s in sources)
        {
            table.Add(s.Name, Number(s.Services), Number(s.Endpoints), s.Synced ? "true" : "false",
                Age(s.LastChange, now), Age(s.LastHeard, now), Or(s.LastError), Or(s.LastWarning));
        }
        return table.ToString();
    }

    /// <summary>kubectl's PORT(S): <c>80/TCP</c>, <c>80:30080/TCP</c> with a node port.</summary>
    private static string Ports(IReadOnlyList<ServicePort> ports) =>
        ports.Count == 0
            ? None
            : string.Join(",", ports.Select(p => p.NodePort is { } node ? $"{p.Port}:{node}/{p.Protocol}" : $"{p.Port}/{p.Protocol}"));

    /// <summary>kubectl's ENDPOINTS: ready <c>ip:port</c> pairs, the first three and a count of the rest.</summary>
    private static string Addresses(Endpoints endpoints)
    {
        var pairs = endpoints.Subsets
            .SelectMany(s => s.Addresses.SelectMany(a => s.Ports.Count == 0 ? [a.Ip] : s.Ports.Select(p => $"{FormatIp(a.Ip)}:{p.Port}")))
            .ToList();
        if (pairs.Count == 0) return None;
        var shown = string.Join(",", pairs.Take(3));
        return pairs.Count > 3 ? $"{shown} + {pairs.Count - 3} more..." : shown;
    }

    private static string FormatIp(string ip) => ip.Contains(':') ? $"[{ip}]" : ip;

    /// <summary>kubectl's AGE: <c>45s</c>, <c>12m</c>, <c>5h</c>, <c>3d</c>.</summary>
    public static string Age(DateTimeOffset? when, DateTimeOffset now)
    {
        if (when is null) return "<never>";
        var age = now - when.Value;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? None : value;
}
