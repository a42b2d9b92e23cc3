using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Proxy;

/// <summary>
/// The running proxy's control port, which <c>proxy --list</c> reads: each connection gets the current
/// <see cref="ProxyState"/> as one JSON document, then the proxy closes it. Read-only; bind it to loopback.
/// </summary>
internal sealed partial class ControlServer : IAsyncDisposable
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly Func<ProxyState> _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private ControlServer(Socket socket, Func<ProxyState> state, ILogger logger)
    {
        _socket = socket;
        _state = state;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _serving = ServeAsync(_stop.Token);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Listens on <paramref name="at"/>; throws <see cref="SocketException"/> when it cannot.</summary>
    public static ControlServer Start(IPEndPoint at, Func<ProxyState> state, ILogger logger)
    {
        var socket = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(at);
            socket.Listen(16);
            return new ControlServer(socket, state, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested) return;
                continue;
            }
            // One at a time: a reader gets a few kilobytes, and a stuck one is cut after the write timeout.
            await AnswerAsync(client, cancellationToken);
        }
    }

    private async Task AnswerAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(WriteTimeout);
            try
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(_state(), ProxyJson.Default.ProxyState);
                await using var stream = new NetworkStream(client, ownsSocket: false);
                await stream.WriteAsync(json, timeout.Token);
                await stream.WriteAsync("\n"u8.ToArray(), timeout.Token);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                LogAnswerFailed(_logger, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _serving;
        _stop.Dispose();
    }

    [LoggerMessage(801, LogLevel.Debug, "A --list reader was not answered: {Reason}")]
    private static partial void LogAnswerFailed(ILogger logger, string reason);
}
