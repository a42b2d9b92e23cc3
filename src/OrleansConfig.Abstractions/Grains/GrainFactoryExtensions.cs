namespace OrleansConfig;

/// <summary>Shortcuts to OrleansConfig's grains by their well-known keys.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The grain that holds the state of the source named <paramref name="name"/>.</summary>
    public static ISourceGrain GetSource(this IGrainFactory grains, string name) => grains.GetGrain<ISourceGrain>(name);

    /// <summary>The one grain that keeps the union of all sources.</summary>
    public static IAggregatorGrain GetAggregator(this IGrainFactory grains) => grains.GetGrain<IAggregatorGrain>(0);

    /// <summary>The cluster's one <see cref="ISubscriberRegistryGrain"/>.</summary>
    public static ISubscriberRegistryGrain GetSubscriberRegistry(this IGrainFactory grains) => grains.GetGrain<ISubscriberRegistryGrain>(0);
}
