using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace OrleansConfig.ServiceDiscovery;

/// <summary>
/// The one <see cref="ServiceCatalog"/> of a service provider, started on first use (the Orleans client is connected by
/// then), with a change token per service key that the catalog's change notification fires.
/// </summary>
internal sealed class SharedCatalog(
    IServiceProvider services,
    IOptions<OrleansConfigServiceEndpointProviderOptions> options,
    TimeProvider time) : ICatalogView, ICatalogChangeHandler, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    // Never disposed: a token handed out may still be read after its source is cancelled and dropped.
    private readonly ConcurrentDictionary<ObjectKey, CancellationTokenSource> _watches = new();
    private ServiceCatalog? _catalog;
    private Task _firstSync = Task.CompletedTask;
    private long _firstSyncDeadline;

    private ServiceCatalog Catalog
    {
        get
        {
            if (Volatile.Read(ref _catalog) is { } catalog) return catalog;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
                if (_catalog is not null) return _catalog;
                var value = options.Value;
                var catalogOptions = new ServiceCatalogOptions { SourcePriority = [.. value.SourcePriority] };
                catalog = services.GetService<CatalogFactory>() is { } factory
                    ? factory(catalogOptions)
                    : new ServiceCatalog(Client(), catalogOptions, services.GetService<ILoggerFactory>());
                catalog.RegisterHandler(this);
                _firstSyncDeadline = time.GetTimestamp() + (long)(value.FirstSyncTimeout.TotalSeconds * time.TimestampFrequency);
                _firstSync = catalog.WaitForSyncAsync(_disposed.Token);
                Volatile.Write(ref _catalog, catalog);
                return catalog;
            }
        }
    }

    private IClusterClient Client() => services.GetService<IClusterClient>() ?? throw new InvalidOperationException(
        "AddOrleansConfigServiceEndpointProvider needs an Orleans client: UseOrleansClient(c => c.AddOrleansConfigClient())");

    public async ValueTask<bool> WaitForFirstSyncAsync(CancellationToken cancellationToken)
    {
        _ = Catalog;
        var sync = _firstSync;
        if (sync.IsCompletedSuccessfully) return true;
        var remaining = time.GetElapsedTime(time.GetTimestamp(), _firstSyncDeadline);
        if (remaining <= TimeSpan.Zero) return false;
        try
        {
            await sync.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public IChangeToken Watch(string ns, string name)
    {
        _ = Catalog;
        var source = _watches.GetOrAdd(new ObjectKey(ns, name), static _ => new CancellationTokenSource());
        return new CancellationChangeToken(source.Token);
    }

    public bool TryGetPorts(string ns, string name, out IReadOnlyList<ServicePort> ports)
    {
        if (Catalog.TryGet(ns, name, out var entry))
        {
            ports = entry.Service.Spec.Ports;
            return true;
        }
        ports = [];
        return false;
    }

    public IReadOnlyList<string> Resolve(string ns, string name, string? portName) => Catalog.Resolve(ns, name, portName);

    /// <summary>The catalog has already applied these keys' changes, so a token minted after the removal reads the new entry.</summary>
    Task ICatalogChangeHandler.OnChanged(IReadOnlyCollection<ObjectKey> keys)
    {
        foreach (var key in keys)
        {
            if (_watches.TryRemove(key, out var source)) source.Cancel();
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        ServiceCatalog? catalog;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested) return;
            _disposed.Cancel();
            catalog = _catalog;
        }
        if (catalog is not null) await catalog.DisposeAsync().ConfigureAwait(false);
        _disposed.Dispose();
    }
}

/// <summary>Makes the shared catalog instead of the Orleans client; only tests register one (a catalog over a fake cluster).</summary>
internal delegate ServiceCatalog CatalogFactory(ServiceCatalogOptions options);
