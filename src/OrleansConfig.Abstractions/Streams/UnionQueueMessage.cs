namespace OrleansConfig.Streaming;

/// <summary>One published batch of events, as the union queue holds it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansConfig.UnionQueueMessage")]
internal sealed record UnionQueueMessage(
    [property: Id(0)] StreamId StreamId,
    [property: Id(1)] long SequenceNumber,
    [property: Id(2)] IReadOnlyList<object> Events,
    [property: Id(3)] Dictionary<string, object>? RequestContext);
