namespace OrleansConfig;

public static class GrainFactoryExtensions
{
    public static ISourceGrain GetSource(this IGrainFactory grains, string name) => grains.GetGrain<ISourceGrain>(name);

    public static IAggregatorGrain GetAggregator(this IGrainFactory grains) => grains.GetGrain<IAggregatorGrain>(0);

    /// <summary>The cluster's one <see cref="ISubscriberRegistryGrain"/>.</summary>
    public static ISubscriberRegistryGrain GetSubscriberRegistry(this IGrainFactory grains) => grains.GetGrain<ISubscriberRegistryGrain>(0);
}
