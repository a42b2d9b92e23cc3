using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using Orleans.Metadata;

namespace OrleansConfig.Hosting;

/// <summary>
/// Registers the aggregator in the grain directory named <see cref="OrleansConfigSilo.AggregatorDirectoryName"/> when
/// the silo has one (the silo host adds
/// a Redis directory under that name in a Redis cluster), otherwise in Orleans' default directory. Orleans' default
/// in-cluster directory deactivates every grain whose entry a dead silo's partition held, wherever the grain runs:
/// for the aggregator that is a new epoch and a snapshot for every subscriber after any silo dies. A directory kept
/// outside the silos loses nothing when one dies.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class AggregatorDirectoryAttribute : Attribute, IGrainPropertiesProviderAttribute
{
    public void Populate(IServiceProvider services, Type grainClass, GrainType grainType, Dictionary<string, string> properties)
    {
        if (services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IGrainDirectory),
            OrleansConfigSilo.AggregatorDirectoryName) == true)
        {
            properties[WellKnownGrainTypeProperties.GrainDirectory] = OrleansConfigSilo.AggregatorDirectoryName;
        }
    }
}
