namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// Multi-process clusters run alone, after the parallel tests: their failure detection is tuned to seconds, and
/// on two busy cores a starved silo could be taken for a dead one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiSiloCollection
{
    public const string Name = "multi-silo";
}
