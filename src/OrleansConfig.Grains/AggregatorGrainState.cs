namespace OrleansConfig;

/// <summary>The registry of sources the union is built from; the items themselves stay with the sources.</summary>
[GenerateSerializer, Alias("OrleansConfig.AggregatorGrainState")]
internal sealed class AggregatorGrainState
{
    [Id(0)] public SortedSet<string> Sources { get; set; } = new(StringComparer.Ordinal);
}
