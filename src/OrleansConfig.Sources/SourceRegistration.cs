using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Sources;

/// <summary>What every <c>Add…ConfigSource</c> registers once it has decided its source is enabled.</summary>
internal static class SourceRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/>, checked by <paramref name="validator"/> at
    /// start, runs <typeparamref name="TSource"/> as a hosted service, and records it for the silo's readiness.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="section">The source's configuration section.</param>
    /// <param name="validator">Checks the bound options.</param>
    /// <param name="type"><c>file</c>, <c>etcd</c> or <c>api</c>.</param>
    /// <param name="name">The source's name in its options.</param>
    public static void AddSource<TOptions, TSource>(
        IServiceCollection services, IConfigurationSection section, IValidateOptions<TOptions> validator, string type, Func<TOptions, string> name)
        where TOptions : class
        where TSource : class, IHostedService
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton(validator));
        services.AddHostedService<TSource>();
        services.AddSingleton(sp => new ConfiguredSource(type, name(sp.GetRequiredService<IOptions<TOptions>>().Value)));
    }
}

/// <summary>
/// A source adapter this host runs, registered by its <c>Add…ConfigSource</c>: the silo's readiness waits for each
/// one's grain to report synced.
/// </summary>
/// <param name="Type"><c>file</c>, <c>etcd</c> or <c>api</c>.</param>
/// <param name="Name">The source's name (its SourceGrain's key).</param>
internal sealed record ConfiguredSource(string Type, string Name);
