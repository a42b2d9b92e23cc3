namespace OrleansConfig.Client.Reporting;

/// <summary>Where a subscriber's reports go: the cluster's registry, or a fake in tests.</summary>
internal interface ISubscriberReportTarget
{
    Task ReportAsync(SubscriberReport report, CancellationToken cancellationToken);

    Task RemoveAsync(Guid instance, CancellationToken cancellationToken);
}

/// <summary>The cluster's <see cref="ISubscriberRegistryGrain"/>.</summary>
internal static class ClusterReportTarget
{
    /// <summary>The one target of a client's subscribers: their reports go to the registry together.</summary>
    public static ReportBatcher Create(IGrainFactory grains) => new(
        (reports, cancellationToken) => grains.GetSubscriberRegistry().ReportMany(reports).WaitAsync(cancellationToken),
        (instance, cancellationToken) => grains.GetSubscriberRegistry().Remove(instance).WaitAsync(cancellationToken));
}
