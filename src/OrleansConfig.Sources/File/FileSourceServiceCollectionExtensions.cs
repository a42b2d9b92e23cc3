using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Sources.File;

public static class FileSourceServiceCollectionExtensions
{
    /// <summary>
    /// Runs the file source in this silo, configured from <paramref name="section"/> (normally
    /// <c>Sources:File</c>) and validated at start.
    /// </summary>
    public static IServiceCollection AddFileConfigSource(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<FileSourceOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSourceOptions>>(new FileSourceOptionsValidator(section.Path)));
        services.AddHostedService<FileConfigSource>();
        return services;
    }
}
