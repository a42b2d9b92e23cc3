using System.Net;

namespace OrleansConfig.Client;

/// <summary>The order backends rotate in: by address bytes (IPv4 before IPv6), then port.</summary>
internal sealed class EndPointOrder : IComparer<IPEndPoint>
{
    public static readonly EndPointOrder Instance = new();

    public int Compare(IPEndPoint? x, IPEndPoint? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byFamily = x.AddressFamily.CompareTo(y.AddressFamily);
        if (byFamily != 0) return byFamily;
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.Address.TryWriteBytes(a, out var aLength);
        y.Address.TryWriteBytes(b, out var bLength);
        var byAddress = a[..aLength].SequenceCompareTo(b[..bLength]);
        if (byAddress != 0) return byAddress;
        var byScope =
            x.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? x.Address.ScopeId.CompareTo(y.Address.ScopeId) : 0;
        return byScope != 0 ? byScope : x.Port.CompareTo(y.Port);
    }
}
