using System.Globalization;

namespace OrleansConfig;

/// <summary>
/// The continue token of a paged snapshot: <c>epoch.version.offset</c>. The aggregator makes and reads it; the reader
/// makes the tokens of the pages after the first itself, so it can ask for several at once.
/// </summary>
internal static class SnapshotContinueToken
{
    public static string Format(UnionVersion version, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{version.Epoch:N}.{version.Version}.{offset}");

    public static bool TryParse(string token, out UnionVersion version, out long offset)
    {
        var parts = token.Split('.');
        version = default;
        offset = 0;
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var epoch)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return false;
        }
        version = new UnionVersion(epoch, number);
        return true;
    }
}
