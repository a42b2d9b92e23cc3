using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OrleansConfig.Proxy;

/// <summary>Reads a running proxy's <see cref="ProxyState"/> from its control port (what <c>proxy --list</c> does).</summary>
internal static class ControlClient
{
    /// <summary>
    /// The state of the proxy at <paramref name="at"/>. Throws <see cref="SocketException"/> when nothing listens
    /// there, and <see cref="InvalidDataException"/> when what answers is not a proxy.
    /// </summary>
    public static async Task<ProxyState> ReadAsync(IPEndPoint at, CancellationToken cancellationToken)
    {
        using var socket = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(at, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var text = new MemoryStream();
        await stream.CopyToAsync(text, cancellationToken);
        try
        {
            var state = JsonSerializer.Deserialize(text.ToArray(), ProxyJson.Default.ProxyState);
            if (state is null || state.Kind != ProxyState.KindName)
            {
                throw new InvalidDataException($"{at} is not an orleans-config proxy's control port");
            }
            return state;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{at} is not an orleans-config proxy's control port: {ex.Message}", ex);
        }
    }
}
