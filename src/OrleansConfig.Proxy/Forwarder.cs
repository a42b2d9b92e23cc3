using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Proxy;

/// <summary>
/// Carries accepted connections to backends. Each connection asks the balancer for a backend, trying the next one
/// when a backend refuses or does not answer in time (each backend at most once); with none left the client is
/// reset at once. Then bytes flow both ways until both sides have finished (a half-close is passed on). Connections
/// outlive the listener that accepted them; only disposal cuts them.
/// </summary>
internal sealed partial class Forwarder : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private readonly LoadBalancerRR _balancer;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _nextId;
    private long _accepted;

    public Forwarder(LoadBalancerRR balancer, TimeSpan connectTimeout, ILogger logger)
    {
        _balancer = balancer;
        _connectTimeout = connectTimeout;
        _logger = logger;
    }

    /// <summary>Connections being carried now.</summary>
    public int Active => _connections.Count;

    /// <summary>Connections handed over since the start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Takes over <paramref name="client"/>, accepted on <paramref name="name"/>'s listener.</summary>
    public void Start(ServicePortName name, Socket client)
    {
        Interlocked.Increment(ref _accepted);
        if (_shutdown.IsCancellationRequested)
        {
            Reset(client);
            return;
        }
        var id = Interlocked.Increment(ref _nextId);
        var run = RunAsync(name, client, _shutdown.Token);
        _connections[id] = run;
        run.ContinueWith(_ => _connections.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
                await PumpAsync(client, backend, cancellationToken);
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
                LogBackendFailed(_logger, name, backend, ex.SocketErrorCode.ToString());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                LogBackendFailed(_logger, name, backend, $"no answer within {_connectTimeout.TotalSeconds:0.#} s");
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

    private static async Task PumpAsync(Socket client, Socket backend, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, backend, either);
        var down = CopyAsync(backend, client, either);
        await Task.WhenAll(up, down);
    }

    /// <summary>Copies until <paramref name="from"/> ends, then ends <paramref name="to"/>'s sending side; a failure stops both directions.</summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationTokenSource either)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, either.Token);
                if (read == 0) break;
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

    [LoggerMessage(603, LogLevel.Warning, "Backend {Backend} of {Name} could not be reached ({Reason}); trying the next one")]
    private static partial void LogBackendFailed(ILogger logger, ServicePortName name, IPEndPoint backend, string reason);

    [LoggerMessage(604, LogLevel.Information, "No backend for a connection from {Peer} to {Name} ({Tried} tried); closed it")]
    private static partial void LogNoBackend(ILogger logger, ServicePortName name, IPEndPoint? peer, int tried);

    [LoggerMessage(605, LogLevel.Warning, "{Count} connections were still ending {Wait} after shutdown began; not waiting for them")]
    private static partial void LogStillRunning(ILogger logger, int count, TimeSpan wait);
}
