using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client.Diagnostics;

namespace OrleansConfig.Client;

/// <summary>
/// What <see cref="ServiceConfig"/> and <see cref="EndpointsConfig"/> share: per-source channels with their pumps,
/// a subscription that follows the union into one view, and one dispatcher per handler.
/// </summary>
internal sealed partial class ConfigClientCore<T, TUpdate> : IUnionSink, IAsyncDisposable
    where T : class, IConfigItem
    where TUpdate : class
{
    private readonly IConfigBackend _backend;
    private readonly ConfigKind<T, TUpdate> _kind;
    private readonly ConfigClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClientMetrics _metrics;
    private readonly UnionView<T> _view = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourcePump<TUpdate>> _pumps = new(StringComparer.Ordinal);

    // Copy-on-write so the subscription signals dispatchers without taking the lock.
    private ImmutableArray<HandlerDispatcher<T>> _dispatchers = [];
    private bool _disposed;

    public ConfigClientCore(
        IConfigBackend backend,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? time,
        IMeterFactory? meterFactory = null)
    {
        _backend = backend;
        _kind = kind;
        _options = options ?? new ConfigClientOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _logger = _loggerFactory.CreateLogger<ConfigClientCore<T, TUpdate>>();
        _metrics = ClientMetrics.Create(meterFactory, kind.Name);
        Subscription = new UnionSubscription(backend, this, _options, _time, _loggerFactory.CreateLogger<UnionSubscription>(), _metrics);
        Subscription.Start();
    }

    public static ConfigClientCore<T, TUpdate> ForCluster(
        IClusterClient client,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        loggerFactory ??= client.ServiceProvider.GetService<ILoggerFactory>();
        return new ConfigClientCore<T, TUpdate>(
            new ClusterConfigBackend(client), kind, options, loggerFactory, TimeProvider.System,
                client.ServiceProvider.GetService<IMeterFactory>());
    }

    public UnionSubscription Subscription { get; }

    public UnionVersion Version => _view.Version;

    public ConfigKinds Kinds => _kind.Kinds;

    public ChannelWriter<TUpdate> Channel(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pumps.TryGetValue(source, out var existing)) return existing.Writer;

            var pump =
                new SourcePump<TUpdate>(source, _backend, _kind.ToSourceUpdate, _options, _time,
                _loggerFactory.CreateLogger<SourcePump<TUpdate>>());
            _pumps.Add(source, pump);
            pump.Start();
            return pump.Writer;
        }
    }

    public void RegisterHandler(string name, Func<IReadOnlyList<T>, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatcher = new HandlerDispatcher<T>(
            name, handler, _view, _options.MinInterval, _options.DisposeTimeout, _time,
                _loggerFactory.CreateLogger<HandlerDispatcher<T>>());
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _dispatchers = _dispatchers.Add(dispatcher);
        }

        // Added before it starts: a snapshot landing in between signals it, and Start signals if one already landed.
        dispatcher.Start();
        LogHandlerRegistered(_logger, _kind.Name, name);
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> Config() => _view.BySource();

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    void IUnionSink.ApplySnapshot(UnionSnapshot snapshot)
    {
        var changed = _view.ApplySnapshot(snapshot.Version, _kind.FromSnapshot(snapshot));
        _synced.TrySetResult();
        if (changed) SignalAll();
    }

    void IUnionSink.ApplyDelta(UnionDelta delta)
    {
        var change = delta.Change;
        if (!_view.ApplyDelta(delta.Version, change.Source, _kind.Upserted(change), _kind.Removed(change))) return;
        SignalAll();
        // Handlers can see the change from now on: that is where it has propagated to.
        _metrics.Applied(change.ChangedAt, _time.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        SourcePump<TUpdate>[] pumps;
        HandlerDispatcher<T>[] dispatchers;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            pumps = [.. _pumps.Values];
            dispatchers = [.. _dispatchers];
        }

        // Writes already accepted go out first, within one shared bound.
        await Task.WhenAll(pumps.Select(p => p.StopAsync(_options.DisposeTimeout))).ConfigureAwait(false);
        await Subscription.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(dispatchers.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        // Canceled rather than faulted: an exception nobody awaited would surface as an unobserved task exception.
        _synced.TrySetCanceled();
    }

    private void SignalAll()
    {
        foreach (var dispatcher in _dispatchers) dispatcher.Signal();
    }

    [LoggerMessage(401, LogLevel.Debug, "Registered {Kind} handler {Handler}")]
    private static partial void LogHandlerRegistered(ILogger logger, string kind, string handler);
}
