using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Api;

namespace OrleansConfig;

/// <summary>Registers the Kubernetes API source.</summary>
public static class ApiConfigSourceServiceCollectionExtensions
{
    /// <summary>
    /// Runs <see cref="ApiConfigSource"/> as a hosted service when <c>Sources:Api:Server</c>,
    /// <c>Sources:Api:KubeconfigPath</c> or <c>Sources:Api:InCluster</c> is set in <paramref name="configuration"/>
    /// (the host's root configuration); otherwise does nothing. Its options are bound from <c>Sources:Api</c> and
    /// validated at start. It watches through the KubernetesClient unless an <see cref="IServicesWatcher"/>,
    /// <see cref="IEndpointsWatcher"/> and <see cref="IEndpointSlicesWatcher"/> are registered first. Needs an <see cref="IGrainFactory"/>.
    /// </summary>
    public static IServiceCollection AddApiConfigSource(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ApiSourceOptions.SectionName);
        var enabling = new ApiSourceOptions
        {
            Server = section[nameof(ApiSourceOptions.Server)],
            KubeconfigPath = section[nameof(ApiSourceOptions.KubeconfigPath)],
            // A value that is not a boolean enables it too, so that binding reports it instead of the source staying silently off.
            InCluster = section[nameof(ApiSourceOptions.InCluster)] is { } inCluster && (!bool.TryParse(inCluster, out var on) || on),
        };
        if (!enabling.Enabled) return services;

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => KubernetesApiWatcher.Create(
            provider.GetRequiredService<IOptions<ApiSourceOptions>>().Value, provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IServicesWatcher>(provider => provider.GetRequiredService<KubernetesApiWatcher>());
        services.TryAddSingleton<IEndpointsWatcher>(provider => provider.GetRequiredService<KubernetesApiWatcher>());
        services.TryAddSingleton<IEndpointSlicesWatcher>(provider => provider.GetRequiredService<KubernetesApiWatcher>());
        SourceRegistration.AddSource<ApiSourceOptions, ApiConfigSource>(services, section, new ApiSourceOptionsValidator(), "api", options => options.Name);
        return services;
    }
}
