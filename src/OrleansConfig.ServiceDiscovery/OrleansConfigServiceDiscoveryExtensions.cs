using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.ServiceDiscovery;

namespace OrleansConfig;

/// <summary>Registers OrleansConfig's resolved service catalog as a Microsoft.Extensions.ServiceDiscovery endpoint provider.</summary>
public static class OrleansConfigServiceDiscoveryExtensions
{
    /// <summary>
    /// As <see cref="AddOrleansConfigServiceEndpointProvider(IServiceCollection, Action{OrleansConfigServiceEndpointProviderOptions}?)"/>
    /// with the default options.
    /// </summary>
    public static IServiceCollection AddOrleansConfigServiceEndpointProvider(this IServiceCollection services) =>
        services.AddOrleansConfigServiceEndpointProvider(configure: null);

    /// <summary>
    /// Adds an endpoint provider that resolves <c>http://NAME.NAMESPACE</c>, <c>http://NAME</c> and
    /// <c>scheme://_PORTNAME.NAME.NAMESPACE</c> to the ready addresses of the winning source's Endpoints, from one
    /// <see cref="ServiceCatalog"/> per service provider (started on first use, on the registered Orleans client:
    /// <c>UseOrleansClient(c =&gt; c.AddOrleansConfigClient())</c>). Names the catalog does not know fall through to the
    /// providers registered after it. Options are validated at start.
    /// </summary>
    public static IServiceCollection AddOrleansConfigServiceEndpointProvider(
        this IServiceCollection services, Action<OrleansConfigServiceEndpointProviderOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddServiceDiscoveryCore();
        var options = services.AddOptions<OrleansConfigServiceEndpointProviderOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<
            IValidateOptions<OrleansConfigServiceEndpointProviderOptions>, OrleansConfigServiceEndpointProviderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SharedCatalog>();
        services.TryAddSingleton<ICatalogView>(sp => sp.GetRequiredService<SharedCatalog>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, CatalogEndpointProviderFactory>());
        return services;
    }
}
