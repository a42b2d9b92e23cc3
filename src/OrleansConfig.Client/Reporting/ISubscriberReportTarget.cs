namespace OrleansConfig.Client.Reporting;

/// <summary>Where a subscriber's reports go: the cluster's registry, or a fake in tests.</summary>
internal interface ISubscriberReportTarget
{
    Task ReportAsync(SubscriberReport report, CancellationToken cancellationToken);

    Task RemoveAsync(Guid instance, CancellationToken cancellationToken);
}

/// <summary>The cluster's <see cref="ISubscriberRegistryGrain"/>.</summary>
internal sealed class ClusterReportTarget(IGrainFactory grains) : ISubscriberReportTarget
{
    public Task ReportAsync(SubscriberReport report, CancellationToken cancellationToken) =>
        grains.GetSubscriberRegistry().Report(report).WaitAsync(cancellationToken);

    public Task RemoveAsync(Guid instance, CancellationToken cancellationToken) =>
        grains.GetSubscriberRegistry().Remove(instance).WaitAsync(cancellationToken);
}
