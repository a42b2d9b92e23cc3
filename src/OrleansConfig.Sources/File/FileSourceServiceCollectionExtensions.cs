using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Sources;
using OrleansConfig.Sources.File;

namespace OrleansConfig;

/// <summary>Registers the file source.</summary>
public static class FileSourceServiceCollectionExtensions
{
    /// <summary>
    /// Runs the file source as a hosted service when <c>Sources:File:Path</c> is set in
    /// <paramref name="configuration"/> (the host's root configuration); otherwise does nothing. Its options
    /// are bound from <c>Sources:File</c> and validated at start. Needs an <see cref="IGrainFactory"/>.
    /// </summary>
    public static IServiceCollection AddFileConfigSource(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FileSourceOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(FileSourceOptions.Path)])) return services;

        SourceRegistration.AddSource<FileSourceOptions, FileConfigSource>(
            services, section, new FileSourceOptionsValidator(FileSourceOptions.SectionName), "file", options => options.Name);
        return services;
    }
}
