namespace OrleansConfig;

/// <summary>Reads the whole union through <see cref="IAggregatorGrain.GetSnapshotPage"/>, page by page, at one version.</summary>
public static class UnionSnapshotReader
{
    /// <summary>The page size readers ask for; the aggregator may send fewer (its <c>MaxPageItems</c>).</summary>
    public const int DefaultPageSize = 10_000;

    /// <summary>Reads that find their version expired are started again this many times before giving up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// The union at one version, assembled from pages of at most <paramref name="pageSize"/> items. An expired read
    /// starts again from the first page (up to <see cref="MaxAttempts"/> times, then <see cref="TimeoutException"/>).
    /// </summary>
    public static async Task<UnionSnapshot> ReadSnapshotAsync(
        this IAggregatorGrain aggregator, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var services = new List<Service>();
            var endpoints = new List<Endpoints>();
            string? next = null;
            while (true)
            {
                var page = await aggregator.GetSnapshotPage(next, pageSize).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (page.Expired) break;
                services.AddRange(page.Services);
                endpoints.AddRange(page.Endpoints);
                if (page.Continue is null)
                {
                    return new UnionSnapshot { Version = page.Version, Services = services, Endpoints = endpoints };
                }
                next = page.Continue;
            }
        }
        throw new TimeoutException($"the union snapshot expired {MaxAttempts} times while it was being read; the aggregator keeps "
            + "a read's version for OrleansConfig:Snapshots:ReadLifetime after its last page");
    }
}
