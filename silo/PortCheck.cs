using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace OrleansConfig.Silo;

/// <summary>
/// With localhost clustering, makes sure the silo and gateway ports are free before Orleans starts: its
/// listeners share ports, so a second silo on the same ports would otherwise start and split the traffic.
/// </summary>
internal static class PortCheck
{
    /// <summary>One message per configured port that is taken, naming its key.</summary>
    public static IReadOnlyList<string> FindTaken(IConfiguration configuration)
    {
        if (configuration.GetSection("Orleans:Clustering").Exists()) return [];
        List<string> taken = [];
        Check("Orleans:Endpoints:SiloPort", configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT), taken);
        Check("Orleans:Endpoints:GatewayPort",
            configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT), taken);
        return taken;
    }

    private static void Check(string key, int port, List<string> taken)
    {
        if (port is < 1 or > 65535)
        {
            taken.Add($"{key}: must be between 1 and 65535, got {port}");
            return;
        }
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            taken.Add($"{key}: port {port} on 127.0.0.1 cannot be used: {ex.Message}");
        }
        finally
        {
            listener.Stop();
        }
    }
}
