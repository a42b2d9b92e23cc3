using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;
using OrleansConfig.Client.Diagnostics;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig;

/// <summary>
/// One resolved answer per service: follows both unions (Services and Endpoints, with one subscription, so both are
/// read at one union version; the subscription and the entries are shared by every catalog of the client with the same
/// source priority and subscription settings) and keeps per <c>namespace/name</c> the Service of the winning source, that same
/// source's Endpoints, and the ready addresses per port. The winner is the first source of
/// <see cref="ServiceCatalogOptions.SourcePriority"/> that publishes the Service, else the alphabetically first
/// (ordinal). A conflict is logged once as a warning, and again only when its set of sources changes or it comes back.
/// Handlers are told which keys changed; each change costs in proportion to the keys it touches, not to the union.
/// The catalog reports itself to the cluster as a subscriber of kind <c>catalog</c> (<c>orleans-config subscribers</c>).
/// </summary>
public sealed partial class ServiceCatalog : IAsyncDisposable
{
    private readonly ServiceCatalogOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SharedUnions _unions;
    private readonly SharedCatalog _shared;
    private readonly Member _member;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The shared catalog's lock: held while it changes and tells its catalogs, so a handler's first keys and the ones
    // posted later meet exactly.
    private readonly Lock _lock;

    // The shared subscription's resyncs before this catalog joined are not its own.
    private readonly long _resyncBase;
    private ImmutableArray<CatalogDispatcher> _dispatchers = [];
    private bool _hasSnapshot;

    // Grows by one whenever the entries change (what handlers are told about); a version without a change keeps it.
    private long _generation;
    private bool _disposed;

    /// <summary>Starts following the union at once; <see cref="WaitForSyncAsync"/> tells when the first snapshot is in.</summary>
    /// <param name="client">A started client, best built with <c>AddOrleansConfigClient()</c> so reconnects are noticed.</param>
    /// <param name="options">The source priority and pacing; defaults to no priority (alphabetical).</param>
    /// <param name="loggerFactory">Defaults to the client's own.</param>
    public ServiceCatalog(IClusterClient client, ServiceCatalogOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(
            SharedUnions.Of(client),
            options,
            loggerFactory ?? client.ServiceProvider.GetService<ILoggerFactory>(),
            null,
            client.ServiceProvider.GetService<IMeterFactory>(),
            SharedUnions.Of(client).Reports)
    {
    }

    /// <summary>A catalog with a subscription of its own on <paramref name="backend"/> (tests, fakes).</summary>
    internal ServiceCatalog(
        IConfigBackend backend,
        ServiceCatalogOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        IMeterFactory? meterFactory = null,
        ISubscriberReportTarget? reports = null)
        : this(new SharedUnions(backend), options, loggerFactory, time, meterFactory, reports)
    {
    }

    /// <summary>A catalog that follows <paramref name="unions"/>' catalog of its source priority, with every other one there.</summary>
    internal ServiceCatalog(
        SharedUnions unions,
        ServiceCatalogOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        IMeterFactory? meterFactory = null,
        ISubscriberReportTarget? reports = null)
    {
        _options = options ?? new ServiceCatalogOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _logger = _loggerFactory.CreateLogger<ServiceCatalog>();
        _unions = unions;
        var (clientOptions, priority, clock, loggers) = (_options.Client, _options.SourcePriority, _time, _loggerFactory);
        // Resyncs and propagation to the catalog are recorded under kind "catalog".
        _shared = unions.Acquire(SharedCatalog.Key(priority), clientOptions, () => new SharedCatalog(
            unions.Backend, new SourcePriority(priority), clientOptions, clock, loggers, ClientMetrics.Create(meterFactory, "catalog")));
        _lock = _shared.Lock;
        _resyncBase = _shared.Subscription.ResyncCount;
        _member = new Member(this);
        StartReporting(reports);
        _shared.Join(_member);
    }

    /// <summary>The union version the catalog reflects (default until the first snapshot).</summary>
    public UnionVersion Version => _shared.Version;

    /// <summary>Every entry, ordered by namespace then name: an immutable snapshot, consistent at one version.</summary>
    public IReadOnlyDictionary<ObjectKey, CatalogEntry> Entries => _shared.Entries;

    /// <summary>Snapshots the shared subscription took after its first one, since this catalog joined it.</summary>
    internal long ResyncCount => _shared.Subscription.ResyncCount - _resyncBase;

    /// <summary>The state and subscription this catalog follows, shared with the client's other catalogs of its priority.</summary>
    internal SharedCatalog Shared => _shared;

    /// <summary>Completes once the first union snapshot is in the catalog.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The entry of <c>ns/name</c>, when some source publishes that Service.</summary>
    public bool TryGet(string ns, string name, out CatalogEntry entry) => Entries.TryGetValue(new ObjectKey(ns, name), out entry!);

    /// <summary>The entry of <paramref name="key"/>, when some source publishes that Service.</summary>
    public bool TryGet(ObjectKey key, out CatalogEntry entry) => Entries.TryGetValue(key, out entry!);

    /// <summary>
    /// The ready <c>host:port</c> addresses of a service port (see <see cref="CatalogEntry.Ports"/>). With
    /// <paramref name="portName"/> null or empty: the unnamed port, else the Service's first port (its spec order).
    /// Empty when the service is unknown, has no such port, or has no ready address there.
    /// </summary>
    public IReadOnlyList<string> Resolve(string ns, string name, string? portName = null) =>
        TryGet(ns, name, out var entry) ? CatalogState.Resolve(entry, portName) : [];

    /// <summary>
    /// Registers a handler told which keys changed. Its first call, once the catalog has synced (at once if it has),
    /// carries every key; calls are never concurrent, keys changed meanwhile gather into the next call, calls start at
    /// least <see cref="ConfigClientOptions.MinInterval"/> apart, and one that throws is made again after
    /// <see cref="ServiceCatalogOptions.RetryInterval"/> with the same keys.
    /// </summary>
    public void RegisterHandler(ICatalogChangeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Register(HandlerName.Of(handler), handler.OnChanged);
    }

    /// <inheritdoc cref="RegisterHandler(ICatalogChangeHandler)"/>
    public void RegisterHandler(Func<IReadOnlyCollection<ObjectKey>, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Register(HandlerName.Of(handler), handler);
    }

    /// <summary>
    /// Unsubscribes, then stops the handlers (waiting up to <see cref="ConfigClientOptions.DisposeTimeout"/> for a
    /// running call).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        CatalogDispatcher[] dispatchers;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            dispatchers = [.. _dispatchers];
        }
        // The report's entry goes first, so a catalog that stops following is not listed as one that fell behind.
        if (_reporter is not null) await _reporter.DisposeAsync().ConfigureAwait(false);
        _shared.Leave(_member);
        await _unions.ReleaseAsync(_shared).ConfigureAwait(false);
        await Task.WhenAll(dispatchers.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        _synced.TrySetCanceled();
    }

    private void Register(string name, Func<IReadOnlyCollection<ObjectKey>, Task> handler)
    {
        var dispatcher = new CatalogDispatcher(
            name,
            handler,
            _options.Client.MinInterval,
            _options.RetryInterval,
            _options.Client.DisposeTimeout,
            _time,
            _loggerFactory.CreateLogger<CatalogDispatcher>());
        Track(dispatcher.Registration);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _dispatchers = _dispatchers.Add(dispatcher);
            // Under the lock, so no change can fall between the keys it starts with and the ones posted later.
            if (_hasSnapshot) dispatcher.Post(_shared.Entries.Keys, _shared.Version, _generation, initial: true);
        }
        dispatcher.Start();
        LogHandlerRegistered(_logger, name);
    }

    private void Applied(CatalogUpdate update, bool snapshot)
    {
        var first = snapshot && !_hasSnapshot;
        _hasSnapshot = true;
        var changed = update.Changed.Count > 0 || first;
        if (changed) _generation++;
        // Before the handlers are told, so the generation a handler returns from is always known to the report.
        ViewMoved(_shared.State.Version);
        if (changed)
        {
            foreach (var dispatcher in _dispatchers) dispatcher.Post(update.Changed, _shared.State.Version, _generation, initial: first);
        }
        if (first) _synced.TrySetResult();
    }

    /// <summary>The conflict warning; the proxy fed whole unions logs it the same way.</summary>
    internal static void LogConflict(ILogger logger, CatalogEntry entry) =>
        LogConflict(logger, entry.Key, string.Join(", ", [entry.Source, .. entry.OtherSources]), entry.Source);

    // Private and nested so the public type does not expose ICatalogMember.
    private sealed class Member(ServiceCatalog catalog) : ICatalogMember
    {
        public void Applied(CatalogUpdate update, bool snapshot) => catalog.Applied(update, snapshot);
    }

    [LoggerMessage(460, LogLevel.Warning,
        "Service {Service} is published by several sources ({Sources}); using {Chosen}'s Service and Endpoints")]
    private static partial void LogConflict(ILogger logger, ObjectKey service, string sources, string chosen);

    [LoggerMessage(461, LogLevel.Debug, "Registered catalog handler {Handler}")]
    private static partial void LogHandlerRegistered(ILogger logger, string handler);
}
