using System.Net;
using System.Net.Sockets;

namespace OrleansConfig.Testing;

public static class FreePorts
{
    /// <summary><paramref name="count"/> distinct loopback ports nothing listens on right now.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
