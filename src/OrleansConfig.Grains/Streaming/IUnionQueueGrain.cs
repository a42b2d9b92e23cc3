namespace OrleansConfig.Streaming;

/// <summary>An in-memory stream queue whose reader waits for messages instead of polling for them.</summary>
[Alias("OrleansConfig.IUnionQueueGrain")]
internal interface IUnionQueueGrain : IGrainWithGuidKey
{
    [Alias("Enqueue")]
    Task Enqueue(StreamId streamId, IReadOnlyList<object> events, Dictionary<string, object>? requestContext);

    /// <summary>Up to <paramref name="maxCount"/> messages; waits up to <paramref name="wait"/> for the first one.</summary>
    [Alias("Dequeue")]
    Task<IReadOnlyList<UnionQueueMessage>> Dequeue(int maxCount, TimeSpan wait);
}
