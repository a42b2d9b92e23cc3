namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>End-to-end classes run one after another: each starts its own silo, and this machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
