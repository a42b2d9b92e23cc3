using System.Security.Cryptography;
using System.Text;

namespace OrleansConfig.Silo.Http;

/// <summary>The token HTTP requests must bear (<c>OrleansConfig:Http:TokenFile</c>), compared in constant time.</summary>
internal sealed class BearerToken(string token)
{
    private const string Scheme = "Bearer";

    // Only hashes are compared: FixedTimeEquals is constant-time for equal lengths only, and a hash hides the token's.
    private readonly byte[] _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>True when <paramref name="authorization"/> (an <c>Authorization</c> header value) is <c>Bearer</c> and
    /// this token.</summary>
    public bool Accepts(string? authorization)
    {
        if (authorization is null) return false;
        var value = authorization.AsSpan().Trim();
        if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || value[Scheme.Length] != ' ')
        {
            return false;
        }
        var given = value[(Scheme.Length + 1)..].Trim();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given.ToString()), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }
}
