using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansConfig.Tests.Proxy;

/// <summary>
/// A real TCP backend on loopback: it greets each connection with its name on one line, then echoes what it is
/// sent until the other side finishes. Counts the connections it accepted. (Shared with the integration tests.)
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private int _accepted;

    private EchoBackend(string name, IPAddress address)
    {
        Name = name;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync(_stop.Token);
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public int Accepted => Volatile.Read(ref _accepted);

    public static EchoBackend Start(string name) => new(name, IPAddress.Loopback);

    /// <summary>A backend on another loopback address (Linux answers all of 127.0.0.0/8), so it has an IP of its own.</summary>
    public static EchoBackend Start(string name, IPAddress address) => new(name, address);

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            lock (_sessions) _sessions.Add(EchoAsync(client, cancellationToken));
        }
    }

    private async Task EchoAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(Encoding.UTF8.GetBytes(Name + "\n"), SocketFlags.None, cancellationToken);
                var buffer = new byte[4096];
                int read;
                while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
                {
                    var pending = buffer.AsMemory(0, read);
                    while (!pending.IsEmpty) pending = pending[await client.SendAsync(pending, SocketFlags.None, cancellationToken)..];
                }
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions) sessions = [.. _sessions];
        await Task.WhenAll(sessions);
        _stop.Dispose();
    }
}
