using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client.Diagnostics;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig.Client;

/// <summary>
/// What <see cref="ServiceConfig"/> and <see cref="EndpointsConfig"/> share: per-source channels with their pumps,
/// a subscription that follows the union into one view, and one dispatcher per handler: a <see cref="HandlerDispatcher{T}"/>
/// for a handler told the whole union, a <see cref="ChangeDispatcher{T}"/> for one told the changes.
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

    // Held while the view changes and change dispatchers are told, and while one registers: a change handler's
    // starting view and the changes it is then told meet exactly, with nothing missed or told twice.
    private readonly Lock _applyLock = new();

    // Copy-on-write so the subscription signals dispatchers without taking the lock.
    private ImmutableArray<HandlerDispatcher<T>> _dispatchers = [];
    private ImmutableArray<ChangeDispatcher<T>> _changeDispatchers = [];
    private ImmutableArray<HandlerRegistration> _registrations = [];
    private bool _disposed;

    public ConfigClientCore(
        IConfigBackend backend,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? time,
        IMeterFactory? meterFactory = null,
        ISubscriberReportTarget? reports = null)
    {
        _backend = backend;
        _kind = kind;
        _options = options ?? new ConfigClientOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _logger = _loggerFactory.CreateLogger<ConfigClientCore<T, TUpdate>>();
        _metrics = ClientMetrics.Create(meterFactory, kind.Name);
        Subscription = new UnionSubscription(backend, this, _options, _time, _loggerFactory.CreateLogger<UnionSubscription>(), _metrics);
        StartReporting(reports);
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
                client.ServiceProvider.GetService<IMeterFactory>(), new ClusterReportTarget(client));
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

    /// <summary>Every handler registered so far, in registration order.</summary>
    public IReadOnlyList<HandlerRegistration> Handlers => _registrations;

    /// <summary>The full-union dispatchers (tests and reporting read their state).</summary>
    internal ImmutableArray<HandlerDispatcher<T>> Dispatchers => _dispatchers;

    /// <summary>The change dispatchers (tests and reporting read their state).</summary>
    internal ImmutableArray<ChangeDispatcher<T>> ChangeDispatchers => _changeDispatchers;

    public HandlerRegistration RegisterHandler(string name, Func<IReadOnlyList<T>, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatcher = new HandlerDispatcher<T>(
            name, handler, _view, _options.MinInterval, _options.DisposeTimeout, _time,
                _loggerFactory.CreateLogger<HandlerDispatcher<T>>(), _options.MaxInterval);
        Track(dispatcher.Registration);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _dispatchers = _dispatchers.Add(dispatcher);
            _registrations = _registrations.Add(dispatcher.Registration);
        }

        // Added before it starts: a snapshot landing in between signals it, and Start signals if one already landed.
        dispatcher.Start();
        LogHandlerRegistered(_logger, _kind.Name, name);
        return dispatcher.Registration;
    }

    public HandlerRegistration RegisterChangeHandler(string name, Func<ConfigChanges<T>, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatcher = new ChangeDispatcher<T>(
            name, handler, _options.MinInterval, _options.RetryInterval, _options.DisposeTimeout, _time,
                _loggerFactory.CreateLogger<ChangeDispatcher<T>>());
        Track(dispatcher.Registration);
        lock (_applyLock)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _changeDispatchers = _changeDispatchers.Add(dispatcher);
                _registrations = _registrations.Add(dispatcher.Registration);
            }

            // Before the first snapshot there is nothing to seed: that snapshot's difference from empty is the whole union.
            // The view only changes under this lock, so its generation is that of these items.
            var (hasSnapshot, version, items) = _view.Read();
            if (hasSnapshot) dispatcher.Seed(version, _view.Generation, items);
        }

        dispatcher.Start();
        LogHandlerRegistered(_logger, _kind.Name, name);
        return dispatcher.Registration;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> Config() => _view.BySource();

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    void IUnionSink.ApplySnapshot(UnionSnapshot snapshot)
    {
        bool changed;
        lock (_applyLock)
        {
            // The difference is O(n), and only worked out when a change handler needs it.
            var changes = _changeDispatchers.IsEmpty ? null : new List<ItemChange<T>>();
            changed = _view.ApplySnapshot(snapshot.Version, _kind.FromSnapshot(snapshot), changes);
            ViewMoved(snapshot.Version);
            if (changed && changes is not null) EnqueueAll(snapshot.Version, changes);
        }
        _synced.TrySetResult();
        if (changed) SignalAll();
    }

    void IUnionSink.ApplyDelta(UnionDelta delta)
    {
        var change = delta.Change;
        bool changed;
        lock (_applyLock)
        {
            var changes = _changeDispatchers.IsEmpty ? null : new List<ItemChange<T>>();
            changed = _view.ApplyDelta(delta.Version, change.Source, _kind.Upserted(change), _kind.Removed(change), changes);
            ViewMoved(delta.Version);
            if (changed && changes is not null) EnqueueAll(delta.Version, changes);
        }
        if (!changed) return;
        SignalAll();
        // Handlers can see the change from now on: that is where it has propagated to.
        _metrics.Applied(change.ChangedAt, _time.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        SourcePump<TUpdate>[] pumps;
        HandlerDispatcher<T>[] dispatchers;
        ChangeDispatcher<T>[] changeDispatchers;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            pumps = [.. _pumps.Values];
            dispatchers = [.. _dispatchers];
            changeDispatchers = [.. _changeDispatchers];
        }

        // Writes already accepted go out first, within one shared bound; the report's entry is removed meanwhile.
        var reporting = _reporter?.DisposeAsync().AsTask() ?? Task.CompletedTask;
        await Task.WhenAll(pumps.Select(p => p.StopAsync(_options.DisposeTimeout)).Append(reporting)).ConfigureAwait(false);
        await Subscription.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(
                dispatchers.Select(d => d.DisposeAsync().AsTask()).Concat(changeDispatchers.Select(d => d.DisposeAsync().AsTask())))
            .ConfigureAwait(false);
        // Canceled rather than faulted: an exception nobody awaited would surface as an unobserved task exception.
        _synced.TrySetCanceled();
    }

    private void EnqueueAll(UnionVersion version, List<ItemChange<T>> changes)
    {
        var generation = _view.Generation;
        foreach (var dispatcher in _changeDispatchers) dispatcher.Enqueue(version, generation, changes);
    }

    private void SignalAll()
    {
        foreach (var dispatcher in _dispatchers) dispatcher.Signal();
    }

    [LoggerMessage(401, LogLevel.Debug, "Registered {Kind} handler {Handler}")]
    private static partial void LogHandlerRegistered(ILogger logger, string kind, string handler);
}
