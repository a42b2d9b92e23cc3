using System.Globalization;
using OrleansConfig.Reporting;

namespace OrleansConfig.Cli.Output;

/// <summary>How Services, Endpoints and sources look in a table or as JSON.</summary>
internal static class Render
{
    private const string None = "<none>";

    public static IReadOnlyList<T> Sorted<T>(IEnumerable<T> items) where T : IConfigItem => UnionOrder.Sorted(items);

    /// <param name="wide"><c>-o wide</c>: also EXTERNAL-IP and SELECTOR.</param>
    /// <param name="prefixNames">With several kinds in one command, NAME is <c>service/web</c>, as kubectl shows it.</param>
    public static string ServicesTable(IReadOnlyList<Service> services, bool wide = false, bool prefixNames = false)
    {
        var table = wide
            ? new Table("NAMESPACE", "NAME", "SOURCE", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "SELECTOR")
            : new Table("NAMESPACE", "NAME", "SOURCE", "TYPE", "CLUSTER-IP", "PORT(S)");
        foreach (var s in services)
        {
            var name = prefixNames ? $"service/{s.Metadata.Name}" : s.Metadata.Name;
            var type = s.Spec.Type ?? "ClusterIP";
            if (wide)
            {
                table.Add(s.Metadata.Namespace, name, Or(s.Source()), type, Or(s.Spec.ClusterIP), ExternalIp(s),
                    Ports(s.Spec.Ports), Selector(s.Spec.Selector));
            }
            else
            {
                table.Add(s.Metadata.Namespace, name, Or(s.Source()), type, Or(s.Spec.ClusterIP), Ports(s.Spec.Ports));
            }
        }
        return table.ToString();
    }

    /// <summary>
    /// kubectl's columns. ENDPOINTS holds the addresses that serve: the ready ones, then the not-ready ones that are
    /// serving while they terminate, marked <c>(terminating)</c> (consumers fall back to those when none is ready).
    /// </summary>
    /// <param name="endpoints">The items, one row each.</param>
    /// <param name="wide"><c>-o wide</c>: every address (not only the first three) and NOT-READY, the not-ready addresses
    /// that do not serve (marked <c>(terminating)</c> when they terminate).</param>
    /// <param name="prefixNames">With several kinds in one command, NAME is <c>endpoints/web</c>, as kubectl shows it.</param>
    public static string EndpointsTable(IReadOnlyList<Endpoints> endpoints, bool wide = false, bool prefixNames = false)
    {
        var table = wide
            ? new Table("NAMESPACE", "NAME", "SOURCE", "ENDPOINTS", "NOT-READY")
            : new Table("NAMESPACE", "NAME", "SOURCE", "ENDPOINTS");
        foreach (var e in endpoints)
        {
            var name = prefixNames ? $"endpoints/{e.Metadata.Name}" : e.Metadata.Name;
            var serving = Pairs(e, s => s.Addresses).Concat(Pairs(e, s => s.NotReadyAddresses.Where(IsDraining)));
            if (wide)
            {
                var notServing = Pairs(e, s => s.NotReadyAddresses.Where(a => !IsDraining(a)));
                table.Add(e.Metadata.Namespace, name, Or(e.Source()), Shown(serving, all: true), Shown(notServing, all: true));
            }
            else table.Add(e.Metadata.Namespace, name, Or(e.Source()), Shown(serving, all: false));
        }
        return table.ToString();
    }

    /// <summary>
    /// kubectl's <c>get endpointslices</c> columns (ADDRESSTYPE, PORTS, ENDPOINTS: the first three addresses and a count of
    /// the rest), with the namespace and the source.
    /// </summary>
    public static string EndpointSlicesTable(IReadOnlyList<EndpointSlice> slices, bool prefixNames = false)
    {
        var table = new Table("NAMESPACE", "NAME", "SOURCE", "ADDRESSTYPE", "PORTS", "ENDPOINTS");
        foreach (var slice in slices)
        {
            var name = prefixNames ? $"endpointslice.discovery.k8s.io/{slice.Metadata.Name}" : slice.Metadata.Name;
            var ports = slice.Ports.Count == 0 ? None : string.Join(",", slice.Ports.Select(p => Number(p.Port)));
            var addresses = slice.Endpoints.SelectMany(e => e.Addresses.Take(1)).ToList();
            var shown = addresses.Count == 0 ? None : string.Join(",", addresses.Take(3));
            if (addresses.Count > 3) shown += $" + {addresses.Count - 3} more...";
            table.Add(slice.Metadata.Namespace, name, Or(slice.Source()), slice.AddressType, ports, shown);
        }
        return table.ToString();
    }

    /// <summary>
    /// <c>-o name</c>: kubectl's <c>service/web</c>, with the namespace and the source added because the union holds the same
    /// name in several namespaces and from several sources: <c>service/default/web@file</c>, one line per item.
    /// </summary>
    public static string Name(string kind, IConfigItem item) =>
        $"{kind}/{item.Metadata.Namespace}/{item.Metadata.Name}@{Or(item.Source())}";

    public static string SourcesTable(IReadOnlyList<SourceStatus> sources, DateTimeOffset now)
    {
        var table = new Table("NAME", "SERVICES", "ENDPOINTS", "SYNCED", "LAST CHANGE", "LAST HEARD", "STALE", "ERROR", "WARNING");
        foreach (var s in sources)
        {
            table.Add(s.Name, Number(s.Services), Number(s.Endpoints), s.Synced ? "true" : "false",
                Age(s.LastChange, now), Age(s.LastHeard, now), Stale(s), Or(s.LastError), Or(s.LastWarning));
        }
        return table.ToString();
    }

    /// <summary>STALE: <c>false</c>; <c>true</c> (silent for its StaleAfter, items kept); <c>dropped</c> (items out of the union).</summary>
    private static string Stale(SourceStatus s) => s.Dropped ? "dropped" : s.Stale ? "true" : "false";

    /// <summary>kubectl's PORT(S): <c>80/TCP</c>, <c>80:30080/TCP</c> with a node port.</summary>
    private static string Ports(ValueList<ServicePort> ports) =>
        ports.Count == 0
            ? None
            : string.Join(",", ports.Select(p => p.NodePort is { } node ? $"{p.Port}:{node}/{p.Protocol}" : $"{p.Port}/{p.Protocol}"));

    /// <summary>A not-ready address that still serves because it terminates: what consumers fall back to.</summary>
    private static bool IsDraining(EndpointAddress address) => address.IsServing(ready: false) && address.IsTerminating;

    /// <summary>kubectl's <c>ip:port</c> pairs of the addresses <paramref name="which"/> picks per subset, each marked
    /// <c>(terminating)</c> when it terminates.</summary>
    private static IEnumerable<string> Pairs(Endpoints endpoints, Func<EndpointSubset, IEnumerable<EndpointAddress>> which) =>
        endpoints.Subsets.SelectMany(s => which(s).SelectMany(a =>
        {
            var marker = a.IsTerminating ? " (terminating)" : "";
            return s.Ports.Count == 0 ? [a.Ip + marker] : s.Ports.Select(p => $"{FormatIp(a.Ip)}:{p.Port}{marker}");
        }));

    /// <summary>kubectl's ENDPOINTS: the first three and a count of the rest (or all of them).</summary>
    private static string Shown(IEnumerable<string> pairs, bool all)
    {
        var list = pairs.ToList();
        if (list.Count == 0) return None;
        if (all) return string.Join(",", list);
        var shown = string.Join(",", list.Take(3));
        return list.Count > 3 ? $"{shown} + {list.Count - 3} more..." : shown;
    }

    /// <summary>kubectl's EXTERNAL-IP: an ExternalName's name, a load balancer's ingress (or <c>&lt;pending&gt;</c>),
    /// else the external IPs.</summary>
    private static string ExternalIp(Service service)
    {
        if (service.Spec.Type == "ExternalName") return Or(service.Spec.ExternalName);
        var ingress = service.Status?.LoadBalancer?.Ingress.Select(i => i.Ip ?? i.Hostname).OfType<string>() ?? [];
        var addresses = ingress.Concat(service.Spec.ExternalIPs).ToList();
        if (addresses.Count > 0) return string.Join(",", addresses);
        return service.Spec.Type == "LoadBalancer" ? "<pending>" : None;
    }

    /// <summary>kubectl's SELECTOR: <c>app=web,tier=front</c>.</summary>
    private static string Selector(ValueMap selector) =>
        selector.Count == 0 ? None
            : string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

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
