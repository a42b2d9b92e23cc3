using System.Globalization;
using OrleansConfig.Wire;

namespace OrleansConfig;

/// <summary>Reads the whole union through <see cref="IAggregatorGrain.GetSnapshotPage"/>, page by page, at one version.</summary>
public static class UnionSnapshotReader
{
    /// <summary>The page size readers ask for; the aggregator may send fewer (its <c>MaxPageItems</c>).</summary>
    public const int DefaultPageSize = 10_000;

    /// <summary>Reads that find their version expired are started again this many times before giving up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Pages asked for at once after the first.</summary>
    public const int PagesInFlight = 4;

    /// <summary>
    /// The union's items of <paramref name="kinds"/> at one version, assembled from pages of at most
    /// <paramref name="pageSize"/> items. An expired read
    /// starts again from the first page (up to <see cref="MaxAttempts"/> times, then <see cref="TimeoutException"/>).
    /// </summary>
    public static async Task<UnionSnapshot> ReadSnapshotAsync(
        this IAggregatorGrain aggregator, ConfigKinds kinds = ConfigKinds.All, int pageSize = DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var first = await aggregator.GetSnapshotPage(kinds, null, pageSize).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (first.Continue is null) return Join(first, [first]);
            if (await RestAsync(aggregator, kinds, first, cancellationToken).ConfigureAwait(false) is { } pages) return Join(first, pages);
        }
        throw new TimeoutException($"the union snapshot expired {MaxAttempts} times while it was being read; the aggregator keeps "
            + "a read's version for OrleansConfig:Snapshots:ReadLifetime after its last page");
    }

    /// <summary>
    /// The pages after the first, several asked for at once (each served from the same version's view, so the
    /// aggregator's serializing and this process's deserializing overlap); null when the read expired.
    /// </summary>
    private static async Task<UnionSnapshotPage[]?> RestAsync(
        IAggregatorGrain aggregator, ConfigKinds kinds, UnionSnapshotPage first, CancellationToken cancellationToken)
    {
        var size = first.Services.Count + first.Endpoints.Count;
        var count = (int)((first.Total + size - 1) / size);
        var pages = new UnionSnapshotPage[count];
        pages[0] = first;
        var inFlight = new Queue<(int Index, Task<UnionSnapshotPage> Page)>();
        // Pages are decoded on the thread pool as they arrive: the connection deserializes responses on one thread.
        var decoding = new List<Task>(count) { Task.Run(() => CompactItems.Decode(first), cancellationToken) };
        var expired = false;
        for (var i = 1; i < count || inFlight.Count > 0;)
        {
            if (i < count && inFlight.Count < PagesInFlight && !expired)
            {
                var token = ContinueToken(first.Version, (long)i * size);
                inFlight.Enqueue((i, aggregator.GetSnapshotPage(kinds, token, size)));
                i++;
                continue;
            }
            if (inFlight.Count == 0) break;
            var (index, pending) = inFlight.Dequeue();
            var page = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            expired |= page.Expired;
            pages[index] = page;
            if (!expired) decoding.Add(Task.Run(() => CompactItems.Decode(page), cancellationToken));
        }
        await Task.WhenAll(decoding).ConfigureAwait(false);
        return expired ? null : pages;
    }

    private static UnionSnapshot Join(UnionSnapshotPage first, UnionSnapshotPage[] pages)
    {
        var services = new List<Service>(pages.Sum(p => p.Services.Count));
        var endpoints = new List<Endpoints>(pages.Sum(p => p.Endpoints.Count));
        foreach (var page in pages)
        {
            services.AddRange(CompactItems.Materialized(page.Services));
            endpoints.AddRange(CompactItems.Materialized(page.Endpoints));
        }
        return new UnionSnapshot { Version = first.Version, Services = services, Endpoints = endpoints };
    }

    // The continue token of a paged snapshot, epoch.version.offset: the aggregator makes and reads it; the reader makes
    // the tokens of the pages after the first itself, so it can ask for several at once.
    internal static string ContinueToken(UnionVersion version, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{version.Epoch:N}.{version.Version}.{offset}");

    internal static bool TryParseContinueToken(string token, out UnionVersion version, out long offset)
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
