using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OrleansConfig.Yarp;

/// <summary>
/// Turns catalog entries into YARP clusters and routes, one key at a time: a cluster per TCP Service port (id
/// <c>NAMESPACE/NAME:PORTNAME</c>, <c>:PORT</c> for an unnamed port) whose destinations are the port's ready addresses,
/// and the routes the Service's annotations (and <see cref="OrleansConfigProxyOptions.ServicePathRoutes"/>) ask for.
/// Objects equal to the ones already held are kept, so YARP sees no change for them.
/// </summary>
internal sealed class ProxyConfigMapper(bool servicePathRoutes, string loadBalancingPolicy = "RoundRobin")
{
    /// <summary>The cluster metadata key that names the source whose Service and Endpoints the cluster holds.</summary>
    public const string SourceMetadata = "orleans-config/source";

    private readonly SortedDictionary<ObjectKey, Mapped> _mapped = [];

    public IReadOnlyList<ClusterConfig> Clusters { get; private set; } = [];

    public IReadOnlyList<RouteConfig> Routes { get; private set; } = [];

    /// <summary>
    /// Maps the entries of <paramref name="keys"/> again (<paramref name="lookup"/> null: the service is gone). A route not
    /// held before is kept only when <paramref name="validate"/> finds no error (YARP refuses a whole configuration for
    /// one bad route); the refused ones are returned with their errors. True in <c>Changed</c> when any cluster or route
    /// was added, replaced or removed.
    /// </summary>
    public async ValueTask<MapResult> ApplyAsync(
        IEnumerable<ObjectKey> keys,
        Func<ObjectKey, CatalogEntry?> lookup,
        Func<RouteConfig, ValueTask<IList<Exception>>> validate)
    {
        var changed = false;
        List<RejectedRoute> rejected = [];
        foreach (var key in keys)
        {
            var entry = lookup(key);
            _mapped.TryGetValue(key, out var old);
            if (entry is null)
            {
                if (old is not null)
                {
                    _mapped.Remove(key);
                    changed |= old.Clusters.Count > 0 || old.Routes.Count > 0;
                }
                continue;
            }
            if (old is not null && ReferenceEquals(old.Entry, entry)) continue;

            var clusters = Reuse(ClustersOf(entry), old?.Clusters, c => c.ClusterId);
            List<RouteConfig> routes = [];
            foreach (var route in Reuse(RoutesOf(entry), old?.Routes, r => r.RouteId))
            {
                if (old is not null && old.Routes.Any(r => ReferenceEquals(r, route)))
                {
                    routes.Add(route);
                    continue;
                }
                var errors = await validate(route).ConfigureAwait(false);
                if (errors.Count == 0) routes.Add(route);
                else rejected.Add(new RejectedRoute(route, errors));
            }
            var mapped = new Mapped(entry, clusters, routes);
            _mapped[key] = mapped;
            changed |= old is null ? clusters.Count > 0 || routes.Count > 0 : !SameObjects(old, mapped);
        }
        if (changed)
        {
            Clusters = [.. _mapped.Values.SelectMany(m => m.Clusters)];
            Routes = [.. _mapped.Values.SelectMany(m => m.Routes)];
        }
        return new MapResult(changed, rejected);
    }

    /// <summary>The cluster id of one Service port: <c>NAMESPACE/NAME:PORTNAME</c>, or <c>:PORT</c> when it has no name.</summary>
    public static string ClusterId(ObjectKey service, ServicePort port) =>
        $"{service}:{(string.IsNullOrEmpty(port.Name) ? port.Port.ToString(CultureInfo.InvariantCulture) : port.Name)}";

    /// <summary>True when the port's name (<c>https</c>, <c>https-*</c>) or its <c>appProtocol</c> (<c>https</c>) says TLS.</summary>
    public static bool IsHttps(ServicePort port) =>
        string.Equals(port.Name, "https", StringComparison.OrdinalIgnoreCase)
        || (port.Name?.StartsWith("https-", StringComparison.OrdinalIgnoreCase) ?? false)
        || string.Equals(port.AppProtocol, "https", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port routes go to: the one named <c>http</c>, else the first TCP port; null when there is none.</summary>
    public static ServicePort? RoutedPort(Service service)
    {
        var ports = service.Spec.Ports.Where(p => IsTcp(p.Protocol)).ToList();
        return ports.FirstOrDefault(p => string.Equals(p.Name, "http", StringComparison.Ordinal)) ?? ports.FirstOrDefault();
    }

    public IEnumerable<ClusterConfig> ClustersOf(CatalogEntry entry)
    {
        foreach (var port in entry.Service.Spec.Ports)
        {
            if (!IsTcp(port.Protocol)) continue;
            var scheme = IsHttps(port) ? "https" : "http";
            entry.Ports.TryGetValue(port.Name ?? "", out var ready);
            var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
            foreach (var address in ready ?? [])
            {
                destinations[address] = new DestinationConfig { Address = $"{scheme}://{address}" };
            }
            yield return new ClusterConfig
            {
                ClusterId = ClusterId(entry.Key, port),
                Destinations = destinations,
                LoadBalancingPolicy = loadBalancingPolicy,
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [SourceMetadata] = entry.Source },
                // kubernetes.io/h2c: HTTP/2 without TLS, which HttpClient speaks only when asked for exactly that version.
                HttpRequest = string.Equals(port.AppProtocol, "kubernetes.io/h2c", StringComparison.Ordinal)
                    ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
                    : null,
            };
        }
    }

    public IEnumerable<RouteConfig> RoutesOf(CatalogEntry entry)
    {
        if (RoutedPort(entry.Service) is not { } port) yield break;
        var clusterId = ClusterId(entry.Key, port);
        var annotations = entry.Service.Metadata.Annotations;
        annotations.TryGetValue(OrleansConfigProxyOptions.RouteHostsAnnotation, out var hostList);
        annotations.TryGetValue(OrleansConfigProxyOptions.RoutePathAnnotation, out var path);
        var hosts = (hostList ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        path = string.IsNullOrWhiteSpace(path) ? null : path.Trim();
        if (hosts.Length > 0 || path is not null)
        {
            yield return new RouteConfig
            {
                RouteId = entry.Key.ToString(),
                ClusterId = clusterId,
                Match = new RouteMatch { Hosts = hosts.Length > 0 ? hosts : null, Path = path },
            };
        }
        if (servicePathRoutes)
        {
            var prefix = $"/{entry.Key.Namespace}/{entry.Key.Name}";
            yield return new RouteConfig
            {
                RouteId = $"{entry.Key}/prefix",
                ClusterId = clusterId,
                Match = new RouteMatch { Path = prefix + "/{**rest}" },
                Transforms = [new Dictionary<string, string>(StringComparer.Ordinal) { ["PathRemovePrefix"] = prefix }],
            };
        }
    }

    private static bool IsTcp(string? protocol) => protocol is null || string.Equals(protocol, "TCP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each fresh object, or the held one with the same id when the two are equal.</summary>
    private static List<T> Reuse<T>(IEnumerable<T> fresh, IReadOnlyList<T>? held, Func<T, string> id)
        where T : class
    {
        List<T> result = [];
        foreach (var item in fresh)
        {
            var same = held?.FirstOrDefault(h => string.Equals(id(h), id(item), StringComparison.Ordinal) && h.Equals(item));
            result.Add(same ?? item);
        }
        return result;
    }

    private static bool SameObjects(Mapped old, Mapped now) =>
        old.Clusters.Count == now.Clusters.Count && old.Clusters.Zip(now.Clusters).All(p => ReferenceEquals(p.First, p.Second))
        && old.Routes.Count == now.Routes.Count && old.Routes.Zip(now.Routes).All(p => ReferenceEquals(p.First, p.Second));

    private sealed record Mapped(CatalogEntry Entry, IReadOnlyList<ClusterConfig> Clusters, IReadOnlyList<RouteConfig> Routes);
}

/// <summary>What one <see cref="ProxyConfigMapper.ApplyAsync"/> did: whether the configuration changed, and the routes it refused.</summary>
internal sealed record MapResult(bool Changed, IReadOnlyList<RejectedRoute> Rejected);

/// <summary>A route from a Service's annotations that YARP's validator refused, with its errors.</summary>
internal sealed record RejectedRoute(RouteConfig Route, IList<Exception> Errors);
