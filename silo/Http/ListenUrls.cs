using System.Net;
using Microsoft.Extensions.Configuration;

namespace OrleansConfig.Silo.Http;

/// <summary>Where Kestrel will listen, read from the settings it reads (<c>urls</c>, <c>Kestrel:Endpoints:NAME:Url</c>).</summary>
internal static class ListenUrls
{
    private const string UrlsKey = "urls";
    private const string KestrelEndpointsKey = "Kestrel:Endpoints";

    /// <summary>Every url with the key it came from. Kestrel's own endpoints replace <c>urls</c>; both are listed, to
    /// err on the safe side.</summary>
    public static IEnumerable<(string Key, string Url)> All(IConfiguration configuration)
    {
        // Kestrel splits urls on ';'.
        foreach (var url in (configuration[UrlsKey] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return (UrlsKey, url);
        }
        foreach (var endpoint in configuration.GetSection(KestrelEndpointsKey).GetChildren())
        {
            if (endpoint["Url"] is { } url && !string.IsNullOrWhiteSpace(url)) yield return ($"{endpoint.Path}:Url", url.Trim());
        }
    }

    /// <summary>
    /// Whether Kestrel, given <paramref name="url"/>, listens only on this machine: <c>localhost</c>, a loopback IP, or a
    /// Unix socket. <c>*</c>, <c>+</c>, any other host name (Kestrel then binds every address) and any other IP are not.
    /// False when it is not a URL at all.
    /// </summary>
    public static bool TryIsLoopback(string url, out bool loopback)
    {
        loopback = false;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return false;
        var authority = url[(schemeEnd + 3)..];
        if (authority.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)
            || authority.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            loopback = true;
            return true;
        }
        var pathStart = authority.IndexOf('/');
        if (pathStart >= 0) authority = authority[..pathStart];
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) return false;
            host = authority[1..close];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }
        loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return true;
    }
}
