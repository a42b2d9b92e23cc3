using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansConfig.Sources;

namespace OrleansConfig;

/// <summary>Registers the etcd source.</summary>
public static class EtcdConfigSourceServiceCollectionExtensions
{
    /// <summary>
    /// Runs <see cref="EtcdConfigSource"/> as a hosted service when <c>Sources:Etcd:Endpoints</c> is set in
    /// <paramref name="configuration"/> (the host's root configuration); otherwise does nothing. Its options
    /// are bound from <c>Sources:Etcd</c> and validated at start. Needs an <see cref="IGrainFactory"/>
    /// (a silo's or a client's).
    /// </summary>
    public static IServiceCollection AddEtcdConfigSource(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EtcdSourceOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(EtcdSourceOptions.Endpoints)])) return services;

        services.TryAddSingleton(TimeProvider.System);
        SourceRegistration.AddSource<EtcdSourceOptions, EtcdConfigSource>(services, section, new EtcdSourceOptionsValidator(), "etcd", options => options.Name);
        return services;
    }
}
