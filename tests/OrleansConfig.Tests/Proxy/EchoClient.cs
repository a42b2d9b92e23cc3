using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansConfig.Tests.Proxy;

/// <summary>A connection through the proxy to an <see cref="EchoBackend"/>: knows which backend answered, and can echo
/// lines. (Shared with the integration tests.)</summary>
internal sealed class EchoClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly NetworkStream _stream;

    private EchoClient(Socket socket, string backend)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        Backend = backend;
    }

    /// <summary>The name of the backend that greeted this connection.</summary>
    public string Backend { get; private set; }

    /// <summary>Connects through <paramref name="proxy"/> and reads the backend's greeting; throws if the proxy closed
    /// the connection instead.</summary>
    public static async Task<EchoClient> ConnectAsync(IPEndPoint proxy)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var socket = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(proxy, timeout.Token);
            var client = new EchoClient(socket, "");
            var greeting = await client._reader.ReadLineAsync(timeout.Token)
                ?? throw new IOException($"{proxy} closed the connection without a backend");
            client.Backend = greeting;
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Which backend answers one connection through <paramref name="proxy"/> (the connection is then closed).</summary>
    public static async Task<string> BackendOf(IPEndPoint proxy)
    {
        using var client = await ConnectAsync(proxy);
        var echoed = await client.EchoAsync("ping");
        return echoed == "ping" ? client.Backend : throw new IOException($"{client.Backend} echoed \"{echoed}\", not \"ping\"");
    }

    /// <summary>
    /// What a connection through <paramref name="proxy"/> gets when there is no backend: "closed" or "reset" (at
    /// once), "refused" when nothing listens; a greeting would be a failure, and a hang times out.
    /// </summary>
    public static async Task<string> Rejection(IPEndPoint proxy)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var socket = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(proxy, timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return read == 0 ? "closed" : $"got data: {Encoding.UTF8.GetString(buffer, 0, read)}";
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "refused";
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "reset";
        }
    }

    public async Task<string?> EchoAsync(string line)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), timeout.Token);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>The next line the connection carries, or null once the other side has closed it.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
