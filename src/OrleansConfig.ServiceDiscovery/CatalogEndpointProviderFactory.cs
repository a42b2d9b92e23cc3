using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace OrleansConfig.ServiceDiscovery;

/// <summary>Makes a <see cref="CatalogEndpointProvider"/> for every query whose host can name a Service.</summary>
internal sealed class CatalogEndpointProviderFactory(
    ICatalogView catalog,
    IOptions<OrleansConfigServiceEndpointProviderOptions> options,
    IOptions<ServiceDiscoveryOptions> discoveryOptions,
    ILogger<CatalogEndpointProvider> logger) : IServiceEndpointProviderFactory
{
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        provider = null;
        if (!CatalogServiceName.TryParse(query.ServiceName, query.EndpointName, options.Value.DefaultNamespace, out var name)) return false;
        provider = new CatalogEndpointProvider(name.Value, AllowedSchemes(query.IncludedSchemes, discoveryOptions.Value), catalog, logger);
        return true;
    }

    /// <summary>The query's schemes that the library's options allow, in the query's order.</summary>
    internal static IReadOnlyList<string> AllowedSchemes(IReadOnlyList<string> schemes, ServiceDiscoveryOptions options) =>
        options.AllowAllSchemes
            ? schemes
            : schemes.Where(s => options.AllowedSchemes.Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
}
