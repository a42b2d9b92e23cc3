namespace OrleansConfig;

/// <summary>
/// Who follows the union and how far behind each is (a single grain: key 0). Every <c>ServiceConfig</c>,
/// <c>EndpointsConfig</c> and <c>ServiceCatalog</c> reports itself here; entries are kept in memory (subscribers report again) and expire
/// when their client stops reporting. Entries are keyed by the calling client as the silo sees it, so a client can
/// write and remove only its own.
/// </summary>
[Alias("OrleansConfig.ISubscriberRegistryGrain")]
public interface ISubscriberRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records (or refreshes) the calling client's subscriber <see cref="SubscriberReport.Instance"/>.</summary>
    [Alias("Report")]
    Task Report(SubscriberReport report);

    /// <summary>
    /// Records (or refreshes) several of the calling client's subscribers at once: a client's subscribers send their
    /// reports together, one call instead of one each.
    /// </summary>
    [Alias("ReportMany")]
    Task ReportMany(IReadOnlyList<SubscriberReport> reports);

    /// <summary>Removes the calling client's subscriber <paramref name="instance"/> (a clean dispose).</summary>
    [Alias("Remove")]
    Task Remove(Guid instance);

    /// <summary>Every live subscriber, with its lag behind the union's version now.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SubscriberStatus>> List();
}
