using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Yarp;

/// <summary>
/// Owns the one <see cref="ServiceCatalog"/> of a service provider for YARP: it starts it once every hosted service has
/// started (the Orleans client is connected by then; YARP asks for its first configuration earlier, while the app is
/// built, and gets an empty one), hands it to the provider, and disposes of it when the host stops.
/// </summary>
internal sealed partial class ProxyCatalogHost(
    IServiceProvider services,
    CatalogProxyConfigProvider provider,
    IOptions<OrleansConfigProxyOptions> options,
    ILogger<ProxyCatalogHost> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private ServiceCatalog? _catalog;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var catalogOptions = new ServiceCatalogOptions { SourcePriority = [.. options.Value.SourcePriority] };
        _catalog = services.GetService<CatalogFactory>() is { } factory ? factory(catalogOptions) : new ServiceCatalog(
            services.GetService<IClusterClient>() ?? throw new InvalidOperationException(
                "LoadFromOrleansConfig needs an Orleans client: UseOrleansClient(c => c.AddOrleansConfigClient())"),
            catalogOptions,
            services.GetService<ILoggerFactory>());
        provider.Follow(_catalog);
        LogStarted(logger, string.Join(", ", catalogOptions.SourcePriority));
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _catalog, null) is { } catalog) await catalog.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(6200, LogLevel.Information, "Following the OrleansConfig service catalog for YARP (source priority: [{Priority}])")]
    private static partial void LogStarted(ILogger logger, string priority);
}

/// <summary>Makes the catalog instead of the Orleans client; only tests register one (a catalog over a fake cluster).</summary>
internal delegate ServiceCatalog CatalogFactory(ServiceCatalogOptions options);
