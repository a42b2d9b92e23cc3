using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Yarp;

/// <summary>
/// Starts YARP's provider on the one <see cref="ServiceCatalog"/> of a service provider (<see cref="ServiceCatalogHost"/>,
/// shared with HttpClient service discovery) once every hosted service has started (the Orleans client is connected by
/// then; YARP asks for its first configuration earlier, while the app is built, and gets an empty one), and disposes of
/// the catalog when the host stops.
/// </summary>
internal sealed partial class ProxyCatalogHost(
    ServiceCatalogHost host,
    CatalogProxyConfigProvider provider,
    ILogger<ProxyCatalogHost> logger) : IHostedLifecycleService
{

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var catalog = host.Catalog;
        provider.Follow(catalog);
        LogStarted(logger, string.Join(", ", host.SourcePriority));
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await host.DisposeAsync().ConfigureAwait(false);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(6200, LogLevel.Information, "Following the OrleansConfig service catalog for YARP (source priority: [{Priority}])")]
    private static partial void LogStarted(ILogger logger, string priority);
}
