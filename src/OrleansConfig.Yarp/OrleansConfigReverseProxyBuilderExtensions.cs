using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansConfig;
using OrleansConfig.Yarp;
using Yarp.ReverseProxy.Configuration;

// Beside YARP's own LoadFromConfig and LoadFromMemory, so it is found where those are.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Loads YARP's routes and clusters from OrleansConfig's resolved service catalog.</summary>
public static class OrleansConfigReverseProxyBuilderExtensions
{
    /// <summary>
    /// Adds a YARP configuration provider fed by one <see cref="ServiceCatalog"/> (started once the host has started, on
    /// the registered Orleans client: <c>UseOrleansClient(c =&gt; c.AddOrleansConfigClient())</c>): a cluster per TCP
    /// Service port, id <c>NAMESPACE/NAME:PORTNAME</c> (<c>:PORT</c> for an unnamed port), whose destinations are the
    /// ready addresses of the winning source's Endpoints (<c>https</c> when the port's name or <c>appProtocol</c> says
    /// so), and routes from the Service annotations <see cref="OrleansConfigProxyOptions.RouteHostsAnnotation"/> and
    /// <see cref="OrleansConfigProxyOptions.RoutePathAnnotation"/>. Routes of other providers (<c>LoadFromConfig</c>) may
    /// name these clusters. Every outcome of applying a configuration is logged. Options are validated at start.
    /// </summary>
    public static IReverseProxyBuilder LoadFromOrleansConfig(this IReverseProxyBuilder builder, Action<OrleansConfigProxyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<OrleansConfigProxyOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(CatalogProxyConfigProvider))) return builder;

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrleansConfigProxyOptions>, OrleansConfigProxyOptionsValidator>());
        services.AddSingleton<CatalogProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<CatalogProxyConfigProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigChangeListener, ProxyConfigChangeLogger>());
        services.AddHostedService<ProxyCatalogHost>();
        return builder;
    }
}
