using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansConfig.Validation;

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

    /// <summary>
    /// Why <paramref name="text"/> may not be an endpoint address (Kubernetes' ValidateNonSpecialIP: unspecified,
    /// loopback, link-local and, here, every multicast range), or null when it may be one or is not an IP at all.
    /// An IPv4-mapped IPv6 address is judged as its IPv4 address, as Go's net.IP does.
    /// </summary>
    public static string? SpecialRange(string? text)
    {
        if (text is null || !IsIP(text) || !IPAddress.TryParse(text, out var ip)) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out var length);
        bytes = bytes[..length];
        var v4 = length == 4;
        if (bytes.IndexOfAnyExcept((byte)0) < 0) return "may not be unspecified (0.0.0.0, ::)";
        if (v4 ? bytes[0] == 127 : IPAddress.IsLoopback(ip)) return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
        if (v4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80)
        {
            return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
        }
        if (v4 ? (bytes[0] & 0xf0) == 224 : bytes[0] == 0xff) return "may not be in the multicast range (224.0.0.0/4, ff00::/8)";
        return null;
    }

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
