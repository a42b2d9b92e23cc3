using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Reporting;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// Follows the union for the status page with the client library's own <see cref="ServiceConfig"/> and
/// <see cref="EndpointsConfig"/> over the silo's cluster client: they take a snapshot, apply the stream's deltas,
/// resync after gaps or a new aggregator and coalesce bursts, and tell this class's change handlers only what changed,
/// so the page sees exactly what any handler sees and this class only feeds <see cref="Log"/>, once for every page.
/// Source status is read every <see cref="SiloHttpOptions.SourcesRefresh"/> and after each union change, but only
/// while a page is open.
/// </summary>
internal sealed partial class UnionFeed(
    IClusterClient client,
    SiloReadiness readiness,
    IOptions<SiloHttpOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<UnionFeed> logger) : IHostedService, IAsyncDisposable, IServiceChangeHandler, IEndpointsChangeHandler
{
    /// <summary>Most bytes of change events kept for pages that are behind.</summary>
    internal const long MaxQueuedBytes = 64L * 1024 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refreshSources = new(0, 1);
    private ServiceConfig? _services;
    private EndpointsConfig? _endpoints;
    private Task _sourcesLoop = Task.CompletedTask;
    private int _listeners;
    private int _disposed;

    /// <summary>What every open page is sent.</summary>
    public UnionEventLog Log { get; } = new(options.Value.MaxQueuedChanges, MaxQueuedBytes);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered after the silo, so this starts once the silo (and so its cluster client) is up.
        var clientOptions = new ConfigClientOptions { MinInterval = options.Value.MinPushInterval };
        var services = _services = new ServiceConfig(client, loggerFactory, clientOptions);
        var endpoints = _endpoints = new EndpointsConfig(client, loggerFactory, clientOptions);
        services.RegisterHandler((IServiceChangeHandler)this);
        endpoints.RegisterHandler((IEndpointsChangeHandler)this);
        _sourcesLoop = Task.Run(() => RefreshSourcesAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _sourcesLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_services is not null) await _services.DisposeAsync();
        if (_endpoints is not null) await _endpoints.DisposeAsync();
        _services = null;
        _endpoints = null;
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _stop.Dispose();
        _refreshSources.Dispose();
    }

    /// <summary>
    /// An open page: sources are refreshed while at least one is open. Dispose when the page goes. Null when
    /// <see cref="SiloHttpOptions.MaxEventStreamClients"/> pages are open already.
    /// </summary>
    public IDisposable? TryListen()
    {
        var listeners = Interlocked.Increment(ref _listeners);
        if (listeners > options.Value.MaxEventStreamClients)
        {
            Interlocked.Decrement(ref _listeners);
            return null;
        }
        if (listeners == 1) RefreshSourcesSoon();
        return new Listener(this);
    }

    /// <summary>Called by the page's own <see cref="ServiceConfig"/> with what changed.</summary>
    public Task OnChanges(ConfigChanges<Service> changes)
    {
        Log.Apply(changes);
        UnionChanged();
        return Task.CompletedTask;
    }

    /// <summary>Called by the page's own <see cref="EndpointsConfig"/> with what changed.</summary>
    public Task OnChanges(ConfigChanges<Endpoints> changes)
    {
        Log.Apply(changes);
        UnionChanged();
        return Task.CompletedTask;
    }

    // Counts and last-change times move with the union.
    private void UnionChanged()
    {
        if (Volatile.Read(ref _listeners) > 0) RefreshSourcesSoon();
    }

    private void RefreshSourcesSoon()
    {
        try
        {
            if (_refreshSources.CurrentCount == 0) _refreshSources.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task RefreshSourcesAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.SourcesRefresh;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _listeners) == 0) await _refreshSources.WaitAsync(cancellationToken);
                else await _refreshSources.WaitAsync(period, cancellationToken);
                if (Volatile.Read(ref _listeners) == 0 || !readiness.SiloActive) continue;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(options.Value.RequestTimeout);
                    var statuses = await SourceStatuses.GetAsync(client, readiness.SourceNames, timeout.Token);
                    var json = SourceStatusJson.Serialize(statuses, indented: false);
                    Log.SetSources(json);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogSourcesFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(3301, LogLevel.Debug, "Reading the sources' status for the status page failed; trying again")]
    private partial void LogSourcesFailed(Exception ex);

    private sealed class Listener(UnionFeed feed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref feed._listeners);
        }
    }
}
