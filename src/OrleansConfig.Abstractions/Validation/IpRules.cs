using System.Globalization;
using System.Net.Sockets;

namespace OrleansConfig;

/// <summary>
/// Strict IP parsing, like Go's <c>netip.ParseAddr</c> without zones: dotted-quad IPv4 with no leading
/// zeros, and RFC 4291 IPv6 text. <see cref="System.Net.IPAddress.TryParse(string, out System.Net.IPAddress)"/>
/// accepts "1.2.3" and "01.2.3.4", which a proxy would read differently from Kubernetes.
/// </summary>
internal static class IpRules
{
    public static bool IsIP(ReadOnlySpan<char> text) => FamilyOf(text) != AddressFamily.Unknown;

    /// <summary>The address' family, or <see cref="AddressFamily.Unknown"/> when it is not a valid IP.</summary>
    public static AddressFamily FamilyOf(ReadOnlySpan<char> text) =>
        text.Contains(':') ? (IsIPv6(text) ? AddressFamily.InterNetworkV6 : AddressFamily.Unknown)
        : IsIPv4(text) ? AddressFamily.InterNetwork : AddressFamily.Unknown;

    public static bool IsIPv4(ReadOnlySpan<char> text)
    {
        var octets = 0;
        foreach (var range in text.Split('.'))
        {
            var octet = text[range];
            if (++octets > 4 || octet.IsEmpty || octet.Length > 3) return false;
            if (octet.Length > 1 && octet[0] == '0') return false;
            foreach (var c in octet)
            {
                if (!char.IsAsciiDigit(c)) return false;
            }
            if (int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture) > 255) return false;
        }
        return octets == 4;
    }

    public static bool IsIPv6(ReadOnlySpan<char> text)
    {
        if (text.Length < 2) return false;
        var groups = 0;
        var compressed = false;
        var i = 0;
        if (text[0] == ':')
        {
            if (text[1] != ':') return false;
            compressed = true;
            i = 2;
            if (i == text.Length) return true;
        }
        while (true)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiHexDigit(text[i])) i++;
            if (i < text.Length && text[i] == '.')
            {
                // An embedded IPv4 address takes the last two groups.
                if (!IsIPv4(text[start..])) return false;
                groups += 2;
                break;
            }
            if (i == start || i - start > 4) return false;
            groups++;
            if (i == text.Length) break;
            if (text[i] != ':') return false;
            i++;
            if (i == text.Length) return false;
            if (text[i] == ':')
            {
                if (compressed) return false;
                compressed = true;
                i++;
                if (i == text.Length) break;
            }
        }
        return compressed ? groups < 8 : groups == 8;
    }
}
