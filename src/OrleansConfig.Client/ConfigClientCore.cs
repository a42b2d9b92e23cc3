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
/// a place in the client's <see cref="SharedUnion{T, TUpdate}"/> of its kind (one subscription and one view per client,
/// kind and subscription settings), and one dispatcher per handler: a <see cref="HandlerDispatcher{T}"/> for a handler
/// told the whole union, a <see cref="ChangeDispatcher{T}"/> for one told the changes.
/// </summary>
internal sealed partial class ConfigClientCore<T, TUpdate> : IUnionMember<T>, IAsyncDisposable
    where T : class, IConfigItem
    where TUpdate : class
{
    private readonly IConfigBackend _backend;
    private readonly ConfigKind<T, TUpdate> _kind;
    private readonly ConfigClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SharedUnions _unions;
    private readonly SharedUnion<T, TUpdate> _shared;
    private readonly UnionView<T> _view;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourcePump<TUpdate>> _pumps = new(StringComparer.Ordinal);

    // The shared union's resyncs before this config joined are not its own.
    private readonly long _resyncBase;

    // The shared union's apply lock is held while the view changes and change dispatchers are told, and while one
    // registers (UnderApplyLock): a change handler's starting view and the changes it is then told meet exactly,
    // nothing missed or twice.
    // Copy-on-write so the union signals dispatchers without taking the lock.
    private ImmutableArray<HandlerDispatcher<T>> _dispatchers = [];
    private ImmutableArray<ChangeDispatcher<T>> _changeDispatchers = [];
    private ImmutableArray<HandlerRegistration> _registrations = [];
    private bool _disposed;
    private UnionVersion _version;

    /// <summary>A config with a subscription of its own on <paramref name="backend"/> (tests, fakes).</summary>
    public ConfigClientCore(
        IConfigBackend backend,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? time,
        IMeterFactory? meterFactory = null,
        ISubscriberReportTarget? reports = null)
        : this(new SharedUnions(backend), kind, options, loggerFactory, time, meterFactory, reports)
    {
    }

    /// <summary>A config that follows <paramref name="unions"/>' union of its kind, with every other config there.</summary>
    public ConfigClientCore(
        SharedUnions unions,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? time,
        IMeterFactory? meterFactory = null,
        ISubscriberReportTarget? reports = null)
    {
        _unions = unions;
        _backend = unions.Backend;
        _kind = kind;
        _options = options ?? new ConfigClientOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _logger = _loggerFactory.CreateLogger<ConfigClientCore<T, TUpdate>>();
        _shared = unions.Acquire(kind, _options, _time, _loggerFactory, ClientMetrics.Create(meterFactory, kind.Name));
        _view = _shared.View;
        _resyncBase = _shared.Subscription.ResyncCount;
        StartReporting(reports);
        _shared.Join(this);
    }

    public static ConfigClientCore<T, TUpdate> ForCluster(
        IClusterClient client,
        ConfigKind<T, TUpdate> kind,
        ConfigClientOptions? options,
        ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        loggerFactory ??= client.ServiceProvider.GetService<ILoggerFactory>();
        var unions = SharedUnions.Of(client);
        return new ConfigClientCore<T, TUpdate>(
            unions, kind, options, loggerFactory, TimeProvider.System, client.ServiceProvider.GetService<IMeterFactory>(), unions.Reports);
    }

    /// <summary>The union this config follows, shared with the client's other configs of its kind.</summary>
    internal SharedUnion<T, TUpdate> Shared => _shared;

    /// <summary>Snapshots the shared subscription took after its first one, since this config joined it.</summary>
    public long ResyncCount => _shared.Subscription.ResyncCount - _resyncBase;

    /// <summary>
    /// The version of the union this config was last told of. The shared view moves first and tells its members at the
    /// end of a run of deltas; this moves with the telling, so once it shows a version the handlers have been told it.
    /// </summary>
    public UnionVersion Version
    {
        get { lock (_lock) return _version; }
    }

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
            name, handler, _shared.Feed, _options.MinInterval, _options.RetryInterval, _options.DisposeTimeout, _time,
                _loggerFactory.CreateLogger<ChangeDispatcher<T>>());
        Track(dispatcher.Registration);
        _shared.UnderApplyLock(() =>
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
        });

        dispatcher.Start();
        LogHandlerRegistered(_logger, _kind.Name, name);
        return dispatcher.Registration;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> Config() => _view.BySource();

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    bool IUnionMember<T>.WantsChanges => !_changeDispatchers.IsEmpty;

    void IUnionMember<T>.Moved(UnionVersion version, long generation, ChangeBatch<T>? batch)
    {
        lock (_lock) _version = version;
        ViewMoved(version, generation);
        if (batch is null) return;
        foreach (var dispatcher in _changeDispatchers) dispatcher.Enqueue(batch);
    }

    void IUnionMember<T>.Told(bool changed)
    {
        _synced.TrySetResult();
        if (!changed) return;
        foreach (var dispatcher in _dispatchers) dispatcher.Signal();
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
        _shared.Leave(this);
        await _unions.ReleaseAsync(_shared).ConfigureAwait(false);
        await Task.WhenAll(
                dispatchers.Select(d => d.DisposeAsync().AsTask()).Concat(changeDispatchers.Select(d => d.DisposeAsync().AsTask())))
            .ConfigureAwait(false);
        // Canceled rather than faulted: an exception nobody awaited would surface as an unobserved task exception.
        _synced.TrySetCanceled();
    }

    [LoggerMessage(401, LogLevel.Debug, "Registered {Kind} handler {Handler}")]
    private static partial void LogHandlerRegistered(ILogger logger, string kind, string handler);
}
