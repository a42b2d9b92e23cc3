using System.Net;
using System.Net.Sockets;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// A TCP proxy on loopback between a client and one gateway, so a test can cut the client off without touching the
/// silo: <see cref="Cut"/> resets every connection through it and resets new ones until <see cref="Restore"/>.
/// </summary>
internal sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<(Socket Client, Socket Server)> _links = [];
    private readonly Task _accepting;
    private bool _refusing;
    private int _connected;
    private int _refused;

    public CuttableProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Where clients connect instead of the gateway.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Connections let through to the gateway so far.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Connections reset because the proxy was cut.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Resets every open connection (both ends) and every new one until <see cref="Restore"/>; returns how
    /// many were open.</summary>
    public int Cut()
    {
        (Socket, Socket)[] links;
        lock (_lock)
        {
            _refusing = true;
            links = [.. _links];
            _links.Clear();
        }
        foreach (var (client, server) in links)
        {
            Reset(client);
            Reset(server);
        }
        return links.Length;
    }

    /// <summary>Lets new connections through again.</summary>
    public void Restore()
    {
        lock (_lock) _refusing = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        if (Refusing())
        {
            Interlocked.Increment(ref _refused);
            Reset(client);
            return;
        }
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Reset(client);
            Reset(server);
            return;
        }
        bool linked;
        lock (_lock)
        {
            linked = !_refusing;
            if (linked) _links.Add((client, server));
        }
        if (!linked)
        {
            Interlocked.Increment(ref _refused);
            Reset(client);
            Reset(server);
            return;
        }
        Interlocked.Increment(ref _connected);
        // Either direction ending ends the link: reset both ends so neither side waits on a half-open connection.
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        lock (_lock) _links.Remove((client, server));
        Reset(client);
        Reset(server);
    }

    private bool Refusing()
    {
        lock (_lock) return _refusing;
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) return;
                var sent = 0;
                while (sent < read) sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with a TCP reset (linger 0), as a dropped connection looks to both ends.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }
}
