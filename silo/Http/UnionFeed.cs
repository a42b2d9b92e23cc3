using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Reporting;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// Follows the union for the status page with the client library's own <see cref="ServiceConfig"/> and
/// <see cref="EndpointsConfig"/> over the silo's cluster client: they take a snapshot, apply the stream's deltas,
/// resync after gaps or a new aggregator and coalesce bursts, so the page sees exactly what any handler sees and
/// this class only serializes. Source status is read every <see cref="SiloHttpOptions.SourcesRefresh"/> and after
/// each union change, but only while a page is open.
/// </summary>
internal sealed partial class UnionFeed(
    IClusterClient client,
    SiloReadiness readiness,
    IOptions<SiloHttpOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<UnionFeed> logger) : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refreshSources = new(0, 1);
    private FeedState _state = FeedState.Empty;
    private TaskCompletionSource _changed = NewSignal();
    private ServiceConfig? _services;
    private EndpointsConfig? _endpoints;
    private Task _sourcesLoop = Task.CompletedTask;
    private int _listeners;
    private int _disposed;

    public FeedState Current
    {
        get { lock (_lock) return _state; }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered after the silo, so this starts once the silo (and so its cluster client) is up.
        var clientOptions = new ConfigClientOptions { MinInterval = options.Value.MinPushInterval };
        var services = _services = new ServiceConfig(client, loggerFactory, clientOptions);
        var endpoints = _endpoints = new EndpointsConfig(client, loggerFactory, clientOptions);
        services.RegisterHandler(union =>
        {
            var json = Manifest.ToJson(union, [], indented: false);
            Update(s => s with { Services = json, Version = services.Version.ToString() }, unionChanged: true);
            return Task.CompletedTask;
        });
        endpoints.RegisterHandler(union =>
        {
            var json = Manifest.ToJson([], union, indented: false);
            Update(s => s with { Endpoints = json, Version = endpoints.Version.ToString() }, unionChanged: true);
            return Task.CompletedTask;
        });
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

    /// <summary>Completes when <see cref="Current"/> is no longer <paramref name="seen"/>.</summary>
    public Task WaitForChangeAsync(FeedState seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ReferenceEquals(_state, seen) ? _changed.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
        }
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

    private void Update(Func<FeedState, FeedState> change, bool unionChanged)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _state = change(_state);
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
        // Counts and last-change times move with the union.
        if (unionChanged && Volatile.Read(ref _listeners) > 0) RefreshSourcesSoon();
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
                    if (json != Current.Sources) Update(s => s with { Sources = json }, unionChanged: false);
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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

/// <summary>
/// What the status page is shown, each part already serialized once for every open page. A part is replaced,
/// never changed, so a page's stream sends a part again only when it is a different instance.
/// </summary>
/// <param name="Services">The union's Services as <c>get services -o json</c> prints them (compact), or null before the first snapshot.</param>
/// <param name="Endpoints">The same for Endpoints.</param>
/// <param name="Sources">The sources as <c>sources -o json</c> prints them (compact), with the sources this silo runs.</param>
/// <param name="Version">The union version the parts were last taken at (display only).</param>
internal sealed record FeedState(string? Services, string? Endpoints, string? Sources, string Version)
{
    public static FeedState Empty { get; } = new(null, null, null, "");
}
