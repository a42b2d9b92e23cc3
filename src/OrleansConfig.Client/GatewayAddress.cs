using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace OrleansConfig.Client;

/// <summary>A gateway as the CLI and the client's defaults take it: <c>HOST:PORT</c> (IPv6 as <c>[::1]:30000</c>).</summary>
internal sealed record GatewayAddress(string Host, int Port)
{
    public static readonly GatewayAddress Default =
        TryParse(OrleansConfigClientOptions.DefaultGateway, out var address, out _) ? address : throw new InvalidOperationException();

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static bool TryParse(string text, [NotNullWhen(true)] out GatewayAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"\"{text}\" is not HOST:PORT";
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"\"{text}\": the port must be a number between 1 and 65535";
            return false;
        }
        if (host.Length == 0 || (Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            error = $"\"{text}\": \"{host}\" is not a host name or IP address";
            return false;
        }
        address = new GatewayAddress(host, port);
        error = null;
        return true;
    }

    /// <summary>Resolves the host (an IP stays as it is) to the endpoint Orleans connects to; null when it has no addresses.</summary>
    public async Task<IPEndPoint?> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out var ip)) return new IPEndPoint(ip, Port);
        var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
        var chosen =
            addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        return chosen is null ? null : new IPEndPoint(chosen, Port);
    }
}
