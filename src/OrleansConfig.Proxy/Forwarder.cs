using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Proxy;

/// <summary>
/// Carries accepted connections to backends. Each connection asks the balancer for a backend, trying the next one
/// when a backend refuses or does not answer in time (each backend at most once); with none left the client is
/// reset at once. Then bytes flow both ways until both sides have finished (a half-close is passed on) or none has
/// flowed for the idle timeout. A connection over its listener's or the proxy's limit is reset at once. Connections
/// outlive the listener that accepted them; only disposal and the idle timeout cut them. Per-connection warnings go
/// through a <see cref="WarningLimiter"/>.
/// </summary>
internal sealed partial class Forwarder : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private const int BackendFailedWarning = 603;
    private const int LimitWarning = 606;

    private readonly LoadBalancerRR _balancer;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly ConnectionLimit _total;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _nextId;

    public Forwarder(LoadBalancerRR balancer, ProxyOptions options, TimeProvider time, ILogger logger)
    {
        _balancer = balancer;
        _connectTimeout = options.ConnectTimeout;
        _idleTimeout = options.IdleTimeout;
        _total = new ConnectionLimit(options.MaxConnections);
        Warnings = new WarningLimiter(options.WarningInterval, time);
        _logger = logger;
    }

    /// <summary>The rate limit of per-connection warnings, shared with the listeners.</summary>
    public WarningLimiter Warnings { get; }

    /// <summary>Connections being carried now.</summary>
    public int Active => _connections.Count;

    /// <summary>Takes over <paramref name="client"/>, accepted on <paramref name="name"/>'s listener, whose connections <paramref name="listener"/> counts.</summary>
    public void Start(ServicePortName name, Socket client, ConnectionLimit listener)
    {
        if (_shutdown.IsCancellationRequested)
        {
            Reset(client);
            return;
        }
        if (!listener.TryEnter())
        {
            Refuse(name, client, $"its listener's limit of {listener.Max} connections");
            return;
        }
        if (!_total.TryEnter())
        {
            listener.Exit();
            Refuse(name, client, $"the proxy's limit of {_total.Max} connections");
            return;
        }
        var id = Interlocked.Increment(ref _nextId);
        var run = RunAsync(name, client, _shutdown.Token);
        _connections[id] = run;
        run.ContinueWith(_ =>
        {
            _connections.TryRemove(id, out Task? _);
            _total.Exit();
            listener.Exit();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Refuse(ServicePortName name, Socket client, string limit)
    {
        if (Warnings.TryWarn(name, LimitWarning, out var suppressed))
        {
            LogRefused(_logger, client.RemoteEndPoint as IPEndPoint, name, limit, suppressed);
        }
        Reset(client);
    }

    private async Task RunAsync(ServicePortName name, Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using (client)
        {
            try
            {
                var peer = client.RemoteEndPoint as IPEndPoint;
                using var backend = await ConnectAsync(name, peer, cancellationToken);
                if (backend is null)
                {
                    Reset(client);
                    return;
                }
                LogConnected(_logger, peer, name, backend.RemoteEndPoint);
                if (await PumpAsync(client, backend, _idleTimeout, cancellationToken)) LogIdle(_logger, peer, name, _idleTimeout);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                LogConnectionEnded(_logger, name, ex.Message);
            }
        }
    }

    private async Task<Socket?> ConnectAsync(ServicePortName name, IPEndPoint? peer, CancellationToken cancellationToken)
    {
        HashSet<IPEndPoint> tried = [];
        while (_balancer.Next(name, peer?.Address, tried) is { } backend)
        {
            tried.Add(backend);
            var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_connectTimeout);
            try
            {
                await socket.ConnectAsync(backend, timeout.Token);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                WarnBackendFailed(name, backend, ex.SocketErrorCode.ToString());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                WarnBackendFailed(name, backend, $"no answer within {_connectTimeout.TotalSeconds:0.#} s");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        LogNoBackend(_logger, name, peer, tried.Count);
        return null;
    }

    private void WarnBackendFailed(ServicePortName name, IPEndPoint backend, string reason)
    {
        if (Warnings.TryWarn(name, BackendFailedWarning, out var suppressed)) LogBackendFailed(_logger, name, backend, reason, suppressed);
    }

    /// <summary>Carries bytes both ways until both sides finish; true when it stopped because none flowed for
    /// <paramref name="idleTimeout"/>.</summary>
    private static async Task<bool> PumpAsync(Socket client, Socket backend, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(idleTimeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var up = CopyAsync(client, backend, either, idle, idleTimeout);
        var down = CopyAsync(backend, client, either, idle, idleTimeout);
        await Task.WhenAll(up, down);
        return idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
    }

    /// <summary>
    /// Copies until <paramref name="from"/> ends, then ends <paramref name="to"/>'s sending side; a failure stops both
    /// directions. Every transfer puts the shared idle deadline off again.
    /// </summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationTokenSource either, CancellationTokenSource idle,
        TimeSpan idleTimeout)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, either.Token);
                if (read == 0) break;
                idle.CancelAfter(idleTimeout);
                var pending = buffer.AsMemory(0, read);
                while (!pending.IsEmpty)
                {
                    var sent = await to.SendAsync(pending, SocketFlags.None, either.Token);
                    pending = pending[sent..];
                }
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            await either.CancelAsync();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes with a reset, so a client with no backend learns at once instead of waiting on an idle connection.</summary>
    private static void Reset(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone: closing is all that is left.
        }
        client.Dispose();
    }

    /// <summary>Cuts every connection and waits (briefly) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(DisposeWait);
        }
        catch (TimeoutException)
        {
            LogStillRunning(_logger, _connections.Count, DisposeWait);
        }
        _shutdown.Dispose();
    }

    [LoggerMessage(601, LogLevel.Debug, "Connection from {Peer} to {Name} goes to {Backend}")]
    private static partial void LogConnected(ILogger logger, IPEndPoint? peer, ServicePortName name, EndPoint? backend);

    [LoggerMessage(602, LogLevel.Debug, "Connection to {Name} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, ServicePortName name, string reason);

    [LoggerMessage(BackendFailedWarning, LogLevel.Warning,
        "Backend {Backend} of {Name} could not be reached ({Reason}); trying the next one ({Suppressed} such warnings held back since " +
        "the last)")]
    private static partial void LogBackendFailed(ILogger logger, ServicePortName name, IPEndPoint backend, string reason, long suppressed);

    [LoggerMessage(604, LogLevel.Information, "No backend for a connection from {Peer} to {Name} ({Tried} tried); closed it")]
    private static partial void LogNoBackend(ILogger logger, ServicePortName name, IPEndPoint? peer, int tried);

    [LoggerMessage(605, LogLevel.Warning, "{Count} connections were still ending {Wait} after shutdown began; not waiting for them")]
    private static partial void LogStillRunning(ILogger logger, int count, TimeSpan wait);

    [LoggerMessage(LimitWarning, LogLevel.Warning,
        "Connection from {Peer} to {Name} reset: over {Limit} ({Suppressed} such warnings held back since the last)")]
    private static partial void LogRefused(ILogger logger, IPEndPoint? peer, ServicePortName name, string limit, long suppressed);

    [LoggerMessage(607, LogLevel.Debug, "Connection from {Peer} to {Name} closed: nothing sent either way for {IdleTimeout}")]
    private static partial void LogIdle(ILogger logger, IPEndPoint? peer, ServicePortName name, TimeSpan idleTimeout);
}
