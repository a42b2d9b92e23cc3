namespace OrleansConfig;

/// <summary>Where the union's deltas are published.</summary>
public static class UnionStream
{
    /// <summary>The stream provider <c>AddOrleansConfig</c> and <c>AddOrleansConfigClient</c> register.</summary>
    public const string ProviderName = "OrleansConfig";

    /// <summary>The id of the stream the aggregator publishes the union's deltas on.</summary>
    public static readonly StreamId Id = StreamId.Create("orleans-config", "union");
}
