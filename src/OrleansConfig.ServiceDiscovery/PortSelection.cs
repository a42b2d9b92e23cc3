namespace OrleansConfig.ServiceDiscovery;

/// <summary>
/// Which Service port a query means: the port named in the query (<c>_grpc.web</c>); without one, the first of the
/// query's schemes that names a port (<c>https+http</c>: a port named <c>https</c>, else <c>http</c>), else the
/// Service's first port.
/// </summary>
internal static class PortSelection
{
    /// <summary>The chosen port and, when it was chosen by a scheme's name, that scheme; null when no port fits.</summary>
    public static (ServicePort Port, string? Scheme)? Select(
        IReadOnlyList<ServicePort> ports, string? portName, IReadOnlyList<string> schemes)
    {
        if (portName is not null)
        {
            foreach (var port in ports)
            {
                if (string.Equals(port.Name, portName, StringComparison.Ordinal)) return (port, null);
            }
            return null;
        }
        foreach (var scheme in schemes)
        {
            foreach (var port in ports)
            {
                if (string.Equals(port.Name, scheme, StringComparison.OrdinalIgnoreCase)) return (port, scheme);
            }
        }
        return ports.Count > 0 ? (ports[0], null) : null;
    }

    /// <summary>The port names for an error message: <c>http, grpc</c>, an unnamed port as its number.</summary>
    public static string Describe(IReadOnlyList<ServicePort> ports) =>
        ports.Count == 0 ? "none" : string.Join(", ", ports.Select(Label));

    /// <summary>A port's name, or its number when it has none.</summary>
    public static string Label(ServicePort port) =>
        string.IsNullOrEmpty(port.Name) ? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : port.Name;
}
