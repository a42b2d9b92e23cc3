using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Etcd;

namespace OrleansConfig;

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

        services.AddOptions<EtcdSourceOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdSourceOptions>, EtcdSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<EtcdConfigSource>();
        services.AddSingleton(sp => new ConfiguredSource("etcd", sp.GetRequiredService<IOptions<EtcdSourceOptions>>().Value.Name));
        return services;
    }
}
