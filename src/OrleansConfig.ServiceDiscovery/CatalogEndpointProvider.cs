using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;

namespace OrleansConfig.ServiceDiscovery;

/// <summary>
/// Resolves one query from the catalog. Like the library's own providers it adds nothing when an earlier provider
/// answered or the catalog does not know the name, so the next provider (configuration, pass-through) answers.
/// </summary>
internal sealed partial class CatalogEndpointProvider(
    CatalogServiceName name,
    IReadOnlyList<string> schemes,
    ICatalogView catalog,
    ILogger<CatalogEndpointProvider> logger) : IServiceEndpointProvider
{
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        if (endpoints.Endpoints.Count != 0) return;
        if (!await catalog.WaitForFirstSyncAsync(cancellationToken).ConfigureAwait(false)) LogNotSynced(logger, name.Key);

        // Taken before reading, so a change between the two still fires it and the library resolves again.
        endpoints.AddChangeToken(catalog.Watch(name.Namespace, name.Name));
        if (!catalog.TryGetPorts(name.Namespace, name.Name, out var ports))
        {
            LogNotInCatalog(logger, name.Key);
            return;
        }

        var choice = PortSelection.Select(ports, name.PortName, schemes)
            ?? throw new InvalidOperationException(name.PortName is null
                ? $"OrleansConfig service {name.Key} has no ports"
                : $"OrleansConfig service {name.Key} has no port named \"{name.PortName}\" (its ports: {PortSelection.Describe(ports)})");
        var portLabel = PortSelection.Label(choice.Port);
        var addresses = catalog.Resolve(name.Namespace, name.Name, choice.Port.Name);
        if (addresses.Count == 0)
        {
            // An error, not a fall-through: the name is the catalog's, and the pass-through provider would only turn it into a DNS failure.
            throw new InvalidOperationException($"OrleansConfig service {name.Key} has no ready addresses for port {portLabel}");
        }

        foreach (var address in addresses)
        {
            var endpoint = ToEndPoint(address, choice.Scheme);
            var serviceEndpoint = ServiceEndpoint.Create(endpoint);
            serviceEndpoint.Features.Set<IServiceEndpointProvider>(this);
            endpoints.Endpoints.Add(serviceEndpoint);
        }
        LogResolved(logger, name.Key, portLabel, addresses.Count);
    }

    public ValueTask DisposeAsync() => default;

    public override string ToString() => "OrleansConfig";

    /// <summary>
    /// A URI endpoint when a scheme chose the port (so <c>https+http</c> keeps the port's scheme), else an IP or DNS endpoint.
    /// </summary>
    internal static EndPoint ToEndPoint(string address, string? scheme)
    {
        if (scheme is not null) return new UriEndPoint(new Uri($"{scheme}://{address}"));
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        var port = int.Parse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    [LoggerMessage(5001, LogLevel.Warning,
        "The OrleansConfig catalog has not synced within its first-sync bound; resolving {Service} from what it has")]
    private static partial void LogNotSynced(ILogger logger, string service);

    [LoggerMessage(5002, LogLevel.Debug, "{Service} is not in the OrleansConfig catalog; the next provider answers")]
    private static partial void LogNotInCatalog(ILogger logger, string service);

    [LoggerMessage(5003, LogLevel.Debug, "Resolved {Service} port {Port} to {Count} ready addresses")]
    private static partial void LogResolved(ILogger logger, string service, string port, int count);
}
