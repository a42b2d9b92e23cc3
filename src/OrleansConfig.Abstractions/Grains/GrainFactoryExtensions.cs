namespace OrleansConfig;

public static class GrainFactoryExtensions
{
    public static ISourceGrain GetSource(this IGrainFactory grains, string name) => grains.GetGrain<ISourceGrain>(name);

    public static IAggregatorGrain GetAggregator(this IGrainFactory grains) => grains.GetGrain<IAggregatorGrain>(0);
}
