using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;

namespace OrleansConfig.Proxy;

/// <summary>
/// The original's proxier: keeps one listener per TCP service port and the balancer's backends in step with the
/// resolved services. Fed by a <see cref="ServiceCatalog"/> (<see cref="Follow"/>), it re-plans only the services the
/// catalog says changed; fed whole unions (<c>OnUpdate</c>), it resolves them with the catalog's rule first. Either
/// way it applies only the difference: closed listeners stop accepting (their connections drain), new ones open, and
/// backend changes reach the next connection. Nothing is restarted. A port that cannot be listened on is logged once
/// and retried.
/// </summary>
internal sealed partial class Proxier : ICatalogChangeHandler, IServiceConfigHandler, IEndpointsConfigHandler, IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<ServicePortName, DesiredPort> NoPorts = new Dictionary<ServicePortName, DesiredPort>();

    private readonly ProxyOptions _options;
    private readonly ProxyPlanner _planner;
    private readonly LoadBalancerRR _balancer;
    private readonly Forwarder _forwarder;
    private readonly Action<ListenerEvent>? _onListener;
    private readonly ILogger _logger;
    private readonly ITimer _retry;
    private readonly Lock _lock = new();
    private readonly Dictionary<ServicePortName, Listening> _listeners = [];
    private readonly Dictionary<ServicePortName, string> _failed = [];

    // Every port the resolved services ask for, and which ports each service asked for last.
    private readonly SortedDictionary<ServicePortName, DesiredPort> _desired = [];
    private readonly Dictionary<ObjectKey, ServicePortName[]> _portsOf = [];

    // Only for whole unions fed through OnUpdate: the catalog's rule, applied here.
    private readonly CatalogState _union;
    private IReadOnlyList<Service> _services = [];
    private IReadOnlyList<Endpoints> _endpoints = [];

    private ServiceCatalog? _catalog;
    private bool _disposed;

    /// <param name="options">Where to listen and how to balance.</param>
    /// <param name="loggerFactory">Null logs nothing.</param>
    /// <param name="time">The clock of session affinity and warnings (default: the system clock).</param>
    /// <param name="onListener">Told, under the proxier's lock and in order, of each listener opened, closed or failed.</param>
    public Proxier(ProxyOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null,
        Action<ListenerEvent>? onListener = null)
    {
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        _logger = loggerFactory.CreateLogger<Proxier>();
        var priority = new SourcePriority(options.Priority);
        _planner = new ProxyPlanner(options.Namespace, priority);
        _union = new CatalogState(priority);
        _balancer = new LoadBalancerRR(time);
        _forwarder = new Forwarder(_balancer, options, time, loggerFactory.CreateLogger<Forwarder>());
        _onListener = onListener;
        _retry = time.CreateTimer(_ => Retry(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public LoadBalancerRR Balancer => _balancer;

    /// <summary>Connections being carried now (including those of closed listeners, until they end).</summary>
    public int ActiveConnections => _forwarder.Active;

    /// <summary>
    /// Follows <paramref name="catalog"/> (which logs the conflicts): its entries decide, key by key, what the proxy
    /// does.
    /// </summary>
    public void Follow(ServiceCatalog catalog)
    {
        lock (_lock) _catalog = catalog;
        catalog.RegisterHandler(this);
    }

    public Task OnChanged(IReadOnlyCollection<ObjectKey> keys)
    {
        lock (_lock)
        {
            var catalog = _catalog!;
            Apply(keys, key => catalog.TryGet(key, out var entry) ? entry : null);
        }
        return Task.CompletedTask;
    }

    public Task OnUpdate(IReadOnlyList<Service> services)
    {
        lock (_lock)
        {
            _services = services;
            ApplyUnion();
        }
        return Task.CompletedTask;
    }

    public Task OnUpdate(IReadOnlyList<Endpoints> endpoints)
    {
        lock (_lock)
        {
            _endpoints = endpoints;
            ApplyUnion();
        }
        return Task.CompletedTask;
    }

    /// <summary>Where a service port listens now (null when it does not).</summary>
    public IPEndPoint? ListenerOf(ServicePortName name)
    {
        lock (_lock) return _listeners.TryGetValue(name, out var listening) ? listening.Listener.LocalEndPoint : null;
    }

    /// <summary>Every service port the union asks for, with where it listens and its backends.</summary>
    public ProxyState State()
    {
        lock (_lock)
        {
            List<ProxyTableEntry> rows = [];
            foreach (var (name, port) in _desired)
            {
                _listeners.TryGetValue(name, out var listening);
                _failed.TryGetValue(name, out var error);
                rows.Add(new ProxyTableEntry(
                    name.Service.Namespace,
                    name.Service.Name,
                    name.Port,
                    port.Source,
                    listening?.Listener.LocalEndPoint.ToString(),
                    [.. port.Backends.Select(b => b.ToString())],
                    listening is null ? error : null,
                    port.Terminating));
            }
            return new ProxyState(Environment.ProcessId, _options.BindAddress.ToString(), rows);
        }
    }

    private void ApplyUnion()
    {
        if (_disposed) return;
        var update = _union.ApplySnapshot(
            default, _services.Where(s => _planner.InScope(s.Key())), _endpoints.Where(e => _planner.InScope(e.Key())));
        foreach (var conflict in update.NewConflicts) ServiceCatalog.LogConflict(_logger, conflict);
        Apply(update.Changed, key => _union.TryGet(key, out var entry) ? entry : null);
    }

    /// <summary>Re-plans the services <paramref name="keys"/> name and applies the difference; then retries ports that failed.</summary>
    private void Apply(IEnumerable<ObjectKey> keys, Func<ObjectKey, CatalogEntry?> entryOf)
    {
        if (_disposed) return;
        HashSet<ServicePortName> tried = [];
        foreach (var key in keys)
        {
            var wanted = entryOf(key) is { } entry ? _planner.PortsOf(entry).ToDictionary(p => p.Name) : NoPorts;
            var before = _portsOf.TryGetValue(key, out var names) ? names : [];
            var current = before.Where(_listeners.ContainsKey).ToDictionary(n => n, n => _listeners[n].Port);
            var changes = ProxyChanges.Between(current, wanted);

            foreach (var name in before.Where(n => !wanted.ContainsKey(n))) _desired.Remove(name);
            foreach (var (name, port) in wanted) _desired[name] = port;
            if (wanted.Count == 0) _portsOf.Remove(key);
            else _portsOf[key] = [.. wanted.Keys];

            foreach (var name in changes.Close)
            {
                var closing = _listeners[name];
                _listeners.Remove(name);
                closing.Listener.Dispose();
                if (!wanted.ContainsKey(name))
                {
                    _balancer.Remove(name);
                    _forwarder.Warnings.Forget(name);
                }
                LogClosed(_logger, name, closing.Listener.LocalEndPoint);
                _onListener?.Invoke(new ListenerEvent(ListenerEventKind.Closed, name, closing.Port.Source, closing.Listener.LocalEndPoint));
            }
            foreach (var name in before)
            {
                if (!wanted.ContainsKey(name) && _failed.Remove(name)) _balancer.Remove(name);
            }
            foreach (var want in changes.Update)
            {
                _balancer.Update(want.Name, want.Backends, want.Affinity);
                _listeners[want.Name] = _listeners[want.Name] with { Port = want };
            }
            foreach (var want in changes.Open)
            {
                _balancer.Update(want.Name, want.Backends, want.Affinity);
                Open(want);
                tried.Add(want.Name);
            }
        }

        // As before the catalog: a port that could not be listened on is tried again on every change, not only its own.
        foreach (var name in _failed.Keys.Where(n => !tried.Contains(n)).ToList()) Open(_desired[name]);
        _retry.Change(_failed.Count > 0 ? _options.RetryInterval : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void Open(DesiredPort want)
    {
        var at = new IPEndPoint(_options.BindAddress, want.ListenPort);
        try
        {
            var listener = PortListener.Open(want.Name, at, _forwarder, _options.MaxConnectionsPerListener, _logger);
            _listeners[want.Name] = new Listening(want, listener);
            _failed.Remove(want.Name);
            LogOpened(_logger, want.Name, listener.LocalEndPoint, want.Source, want.Backends.Count);
            _onListener?.Invoke(new ListenerEvent(ListenerEventKind.Opened, want.Name, want.Source, listener.LocalEndPoint));
        }
        catch (SocketException ex)
        {
            var error = $"cannot listen on {at}: {ex.Message}";
            if (_failed.TryGetValue(want.Name, out var before) && before == error) return;
            _failed[want.Name] = error;
            LogOpenFailed(_logger, want.Name, error, _options.RetryInterval);
            _onListener?.Invoke(new ListenerEvent(ListenerEventKind.Failed, want.Name, want.Source, null, error));
        }
    }

    private void Retry()
    {
        lock (_lock)
        {
            if (_failed.Count > 0) Apply([], _ => null);
        }
    }

    /// <summary>Closes every listener, then cuts the connections still open.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _retry.Dispose();
            foreach (var (name, listening) in _listeners)
            {
                listening.Listener.Dispose();
                _onListener?.Invoke(
                    new ListenerEvent(ListenerEventKind.Closed, name, listening.Port.Source, listening.Listener.LocalEndPoint));
            }
            _listeners.Clear();
        }
        await _forwarder.DisposeAsync();
    }

    private sealed record Listening(DesiredPort Port, PortListener Listener);

    [LoggerMessage(501, LogLevel.Information, "Listening on {Listen} for {Name} (source {Source}, {Backends} backends)")]
    private static partial void LogOpened(ILogger logger, ServicePortName name, IPEndPoint listen, string source, int backends);

    [LoggerMessage(502, LogLevel.Information, "Closed {Listen} for {Name}; its open connections go on until they end")]
    private static partial void LogClosed(ILogger logger, ServicePortName name, IPEndPoint listen);

    [LoggerMessage(503, LogLevel.Error, "No listener for {Name}: {Error}; trying again every {RetryInterval} and on every change")]
    private static partial void LogOpenFailed(ILogger logger, ServicePortName name, string error, TimeSpan retryInterval);
}

/// <summary>A listener opened (at <see cref="Listen"/>), closed, or could not be opened (<see cref="Error"/>).</summary>
internal sealed record ListenerEvent(ListenerEventKind Kind, ServicePortName Name, string Source, IPEndPoint? Listen, string? Error = null)
{
    public override string ToString() => Kind switch
    {
        ListenerEventKind.Opened => $"opened {Listen} -> {Name} (source {Source})",
        ListenerEventKind.Closed => $"closed {Listen} -> {Name}",
        _ => $"failed to listen for {Name} (source {Source}): {Error}",
    };
}

internal enum ListenerEventKind
{
    Opened,
    Closed,
    Failed,
}
