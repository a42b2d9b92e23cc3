using System.Diagnostics.CodeAnalysis;
using OrleansConfig.Validation;

namespace OrleansConfig.ServiceDiscovery;

/// <summary>
/// What a service-discovery name means in the catalog: <c>NAME</c>, <c>NAME.NAMESPACE</c>, each optionally with the
/// library's <c>_PORTNAME.</c> prefix (already split off into the query's endpoint name).
/// </summary>
internal readonly record struct CatalogServiceName(string Namespace, string Name, string? PortName)
{
    public string Key => $"{Namespace}/{Name}";

    /// <summary>
    /// False for a host that cannot name a Service (more than two labels, an IP address, a label Kubernetes would
    /// refuse, a bad port name): such names belong to other providers (DNS, configuration), so they fall through.
    /// </summary>
    public static bool TryParse(string host, string? portName, string defaultNamespace, [NotNullWhen(true)] out CatalogServiceName? name)
    {
        name = null;
        if (string.IsNullOrEmpty(host)) return false;
        var dot = host.IndexOf('.');
        string service, ns;
        if (dot < 0)
        {
            service = host;
            ns = defaultNamespace;
        }
        else
        {
            service = host[..dot];
            ns = host[(dot + 1)..];
            if (ns.Contains('.')) return false;
        }
        if (NameRules.Dns1035Label(service) is not null || NameRules.Dns1123Label(ns) is not null) return false;
        if (portName is not null && NameRules.Dns1123Label(portName) is not null) return false;
        name = new CatalogServiceName(ns, service, portName);
        return true;
    }
}
