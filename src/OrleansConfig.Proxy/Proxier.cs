using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansConfig.Proxy;

/// <summary>
/// The original's proxier: a handler of both unions that keeps one listener per TCP service port and the balancer's
/// backends in step with them. Every change re-plans from the latest Services and Endpoints, then applies only the
/// difference: closed listeners stop accepting (their connections drain), new ones open, and backend changes reach
/// the next connection. Nothing is restarted. A port that cannot be listened on is logged once and retried.
/// </summary>
internal sealed partial class Proxier : IServiceConfigHandler, IEndpointsConfigHandler, IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly ProxyPlanner _planner;
    private readonly LoadBalancerRR _balancer;
    private readonly Forwarder _forwarder;
    private readonly ConflictTracker _conflicts = new();
    private readonly Action<ListenerEvent>? _onListener;
    private readonly ILogger _logger;
    private readonly ITimer _retry;
    private readonly Lock _lock = new();
    private readonly Dictionary<ServicePortName, Listening> _listeners = [];
    private readonly Dictionary<ServicePortName, string> _failed = [];

    private IReadOnlyList<Service> _services = [];
    private IReadOnlyList<Endpoints> _endpoints = [];
    private ProxyPlan _plan = ProxyPlan.Empty;
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
        _planner = new ProxyPlanner(options.Namespace, new SourcePriority(options.Priority));
        _balancer = new LoadBalancerRR(time);
        _forwarder = new Forwarder(_balancer, options, time, loggerFactory.CreateLogger<Forwarder>());
        _onListener = onListener;
        _retry = time.CreateTimer(_ => Retry(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public LoadBalancerRR Balancer => _balancer;

    /// <summary>Connections being carried now (including those of closed listeners, until they end).</summary>
    public int ActiveConnections => _forwarder.Active;

    public Task OnUpdate(IReadOnlyList<Service> services)
    {
        lock (_lock)
        {
            _services = services;
            Sync();
        }
        return Task.CompletedTask;
    }

    public Task OnUpdate(IReadOnlyList<Endpoints> endpoints)
    {
        lock (_lock)
        {
            _endpoints = endpoints;
            Sync();
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
            foreach (var (name, port) in _plan.Ports)
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
                    listening is null ? error : null));
            }
            return new ProxyState(Environment.ProcessId, _options.BindAddress.ToString(), rows);
        }
    }

    private void Sync()
    {
        if (_disposed) return;
        var plan = _planner.Plan(_services, _endpoints);
        foreach (var conflict in _conflicts.New(plan.Conflicts))
        {
            LogConflict(_logger, conflict.Service, string.Join(", ", conflict.Sources), conflict.Chosen);
        }

        var current = _listeners.ToDictionary(p => p.Key, p => p.Value.Port);
        var changes = ProxyChanges.Between(current, plan.Ports);
        foreach (var name in changes.Close)
        {
            var closing = _listeners[name];
            _listeners.Remove(name);
            closing.Listener.Dispose();
            if (!plan.Ports.ContainsKey(name))
            {
                _balancer.Remove(name);
                _forwarder.Warnings.Forget(name);
            }
            LogClosed(_logger, name, closing.Listener.LocalEndPoint);
            _onListener?.Invoke(new ListenerEvent(ListenerEventKind.Closed, name, closing.Port.Source, closing.Listener.LocalEndPoint));
        }
        foreach (var name in _failed.Keys.Where(n => !plan.Ports.ContainsKey(n)).ToList())
        {
            _failed.Remove(name);
            _balancer.Remove(name);
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
        }
        _plan = plan;
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
            if (_failed.Count > 0) Sync();
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

    [LoggerMessage(504, LogLevel.Warning,
        "Service {Service} is published by several sources ({Sources}); using {Chosen}'s Service and Endpoints")]
    private static partial void LogConflict(ILogger logger, ObjectKey service, string sources, string chosen);
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
