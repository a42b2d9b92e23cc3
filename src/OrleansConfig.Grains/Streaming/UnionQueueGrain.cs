using Orleans.Concurrency;

namespace OrleansConfig.Streaming;

/// <summary>
/// The union stream's queue. Enqueue wakes a waiting Dequeue at once, so delivery needs no poll period and an
/// idle queue costs one call per wait period instead of one per poll.
/// </summary>
[Reentrant] // a read waiting for messages must not hold up the enqueue that brings them
[CollectionAgeLimit(AlwaysActive = true)] // its messages exist nowhere else
internal sealed class UnionQueueGrain : Grain, IUnionQueueGrain
{
    /// <summary>Beyond this the oldest messages are dropped; subscribers see the gap and take a snapshot.</summary>
    internal const int Capacity = 16_384;

    private readonly Queue<UnionQueueMessage> _messages = new();
    private TaskCompletionSource? _arrived;
    private long _sequence;

    public Task Enqueue(StreamId streamId, IReadOnlyList<object> events, Dictionary<string, object>? requestContext)
    {
        _messages.Enqueue(new UnionQueueMessage(streamId, ++_sequence, events, requestContext));
        while (_messages.Count > Capacity) _messages.Dequeue();
        _arrived?.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<UnionQueueMessage>> Dequeue(int maxCount, TimeSpan wait)
    {
        if (_messages.Count == 0 && wait > TimeSpan.Zero)
        {
            _arrived ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var arrived = _arrived.Task;
            await Task.WhenAny(arrived, Task.Delay(wait));
            if (arrived.IsCompleted) _arrived = null;
        }
        var count = Math.Min(maxCount <= 0 ? _messages.Count : maxCount, _messages.Count);
        var batch = new UnionQueueMessage[count];
        for (var i = 0; i < count; i++) batch[i] = _messages.Dequeue();
        return batch;
    }
}
