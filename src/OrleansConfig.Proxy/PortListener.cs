using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Proxy;

/// <summary>
/// One listening socket for one service port, handing each accepted connection to the <see cref="Forwarder"/>.
/// Disposing stops accepting (the port closes: new connects are refused); connections already accepted go on.
/// </summary>
internal sealed partial class PortListener : IDisposable
{
    private const int Backlog = 512;
    private const int AcceptFailedWarning = 701;
    private static readonly TimeSpan AcceptErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private readonly ServicePortName _name;
    private readonly Forwarder _forwarder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionLimit _connections;

    private PortListener(Socket socket, ServicePortName name, Forwarder forwarder, int maxConnections, ILogger logger)
    {
        _socket = socket;
        _connections = new ConnectionLimit(maxConnections);
        _name = name;
        _forwarder = forwarder;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Accepting = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Where it listens (the real port when it asked for an ephemeral one).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Completes when the accept loop has ended.</summary>
    public Task Accepting { get; }

    /// <summary>Connections accepted here that are being carried now.</summary>
    public int Active => _connections.Count;

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the port cannot be had.</summary>
    public static PortListener Open(ServicePortName name, IPEndPoint at, Forwarder forwarder, int maxConnections, ILogger logger)
    {
        var socket = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // "--bind ::" means every address, IPv4 too.
            if (at.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(at);
            socket.Listen(Backlog);
            return new PortListener(socket, name, forwarder, maxConnections, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Out of file descriptors, say: keep the port, and try again shortly rather than spin.
                if (_forwarder.Warnings.TryWarn(_name, AcceptFailedWarning, out var suppressed))
                {
                    LogAcceptFailed(_logger, _name, LocalEndPoint, ex.SocketErrorCode.ToString(), suppressed);
                }
                try
                {
                    await Task.Delay(AcceptErrorPause, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            catch (SocketException)
            {
                return;
            }
            _forwarder.Start(_name, client, _connections);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(AcceptFailedWarning, LogLevel.Warning,
        "Accepting on {Listen} for {Name} failed ({Reason}); trying again ({Suppressed} such warnings held back since the last)")]
    private static partial void LogAcceptFailed(ILogger logger, ServicePortName name, IPEndPoint listen, string reason, long suppressed);
}
