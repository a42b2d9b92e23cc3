using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansConfig;

/// <summary>
/// The one <see cref="ServiceCatalog"/> of a service provider, which every adapter of that provider (HttpClient service
/// discovery, YARP) reads: one subscription however many adapters a host has. It is made on first use (the Orleans
/// client is connected by then) with the source priority the adapters configure, and disposed of once (with the
/// service provider, or earlier by an adapter that stops with the host).
/// </summary>
internal sealed class ServiceCatalogHost(IServiceProvider services, IOptions<ServiceCatalogHostOptions> options) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private ServiceCatalog? _catalog;
    private bool _disposed;

    /// <summary>The source priority the catalog is made with (the one the adapters set, else empty: alphabetical).</summary>
    public IReadOnlyList<string> SourcePriority => options.Value.SourcePriority();

    /// <summary>The catalog, made by the first caller.</summary>
    public ServiceCatalog Catalog
    {
        get
        {
            if (Volatile.Read(ref _catalog) is { } catalog) return catalog;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_catalog is not null) return _catalog;
                var value = options.Value;
                var catalogOptions = new ServiceCatalogOptions { SourcePriority = value.SourcePriority() };
                catalog = services.GetService<CatalogFactory>() is { } factory
                    ? factory(catalogOptions)
                    : new ServiceCatalog(
                        services.GetService<IClusterClient>() ?? throw new InvalidOperationException(
                            $"{value.Registrations} needs an Orleans client: UseOrleansClient(c => c.AddOrleansConfigClient())"),
                        catalogOptions,
                        services.GetService<ILoggerFactory>());
                Volatile.Write(ref _catalog, catalog);
                return catalog;
            }
        }
    }

    /// <summary>Disposes of the catalog, if made; later reads of <see cref="Catalog"/> throw.</summary>
    public async ValueTask DisposeAsync()
    {
        ServiceCatalog? catalog;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            catalog = _catalog;
        }
        if (catalog is not null) await catalog.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// What the adapters registered on the shared catalog ask of it: each adapter's name and its <c>SourcePriority</c>
/// option. An empty priority leaves the choice to the others; two different non-empty ones are an error (at start, and
/// when the catalog is made), naming both.
/// </summary>
internal sealed class ServiceCatalogHostOptions
{
    /// <summary>Each registration (as <c>LoadFromOrleansConfig</c>) with the source priority it configured.</summary>
    public List<(string Registration, IReadOnlyList<string> SourcePriority)> Users { get; } = [];

    /// <summary>The registrations, for messages: <c>A and B</c>.</summary>
    public string Registrations => string.Join(" and ", Users.Select(u => u.Registration).Distinct(StringComparer.Ordinal));

    /// <summary>The one non-empty priority the adapters set (none: empty, alphabetical); the first of a conflict wins here.</summary>
    public IReadOnlyList<string> SourcePriority() =>
        Users.Select(u => u.SourcePriority).FirstOrDefault(p => p.Count > 0) ?? [];
}

/// <summary>Refuses <see cref="ServiceCatalogHostOptions"/> whose adapters set different source priorities.</summary>
internal sealed class ServiceCatalogHostOptionsValidator : IValidateOptions<ServiceCatalogHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceCatalogHostOptions options)
    {
        var set = options.Users.Where(u => u.SourcePriority.Count > 0).ToList();
        for (var i = 1; i < set.Count; i++)
        {
            if (!set[i].SourcePriority.SequenceEqual(set[0].SourcePriority, StringComparer.Ordinal))
            {
                return ValidateOptionsResult.Fail(
                    $"One service catalog serves {set[0].Registration} and {set[i].Registration}, but their SourcePriority differ: " +
                    $"[{string.Join(", ", set[0].SourcePriority)}] and [{string.Join(", ", set[i].SourcePriority)}]; " +
                    "set the same on both, or on one only");
            }
        }
        return ValidateOptionsResult.Success;
    }
}

/// <summary>Registers the shared <see cref="ServiceCatalogHost"/> for an adapter.</summary>
internal static class ServiceCatalogHostRegistration
{
    /// <summary>
    /// Adds the one <see cref="ServiceCatalogHost"/> (once however often called) and <paramref name="registration"/>'s
    /// source priority, read from its options <typeparamref name="TOptions"/> by <paramref name="priority"/>.
    /// </summary>
    public static IServiceCollection AddServiceCatalogHost<TOptions>(
        this IServiceCollection services, string registration, Func<TOptions, IEnumerable<string>?> priority)
        where TOptions : class
    {
        services.AddOptions<ServiceCatalogHostOptions>()
            .Configure<IOptions<TOptions>>((o, adapter) => o.Users.Add((registration, [.. priority(adapter.Value) ?? []])))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceCatalogHostOptions>, ServiceCatalogHostOptionsValidator>());
        services.TryAddSingleton<ServiceCatalogHost>();
        return services;
    }
}

/// <summary>Makes the shared catalog instead of the Orleans client; only tests register one (a catalog over a fake cluster).</summary>
internal delegate ServiceCatalog CatalogFactory(ServiceCatalogOptions options);
