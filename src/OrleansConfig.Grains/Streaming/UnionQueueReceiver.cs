using Orleans.Streams;

namespace OrleansConfig.Streaming;

/// <summary>Reads one union queue for a pulling agent, waiting at the queue rather than polling it.</summary>
internal sealed class UnionQueueReceiver(IUnionQueueGrain queue, TimeSpan wait) : IQueueAdapterReceiver
{
    // Tokens number what this receiver delivered, in delivery order, so the agent's cache stays ordered.
    private long _delivered;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        IReadOnlyList<UnionQueueMessage> messages = await queue.Dequeue(maxCount, wait);
        var batches = new List<IBatchContainer>(messages.Count);
        foreach (var message in messages) batches.Add(new UnionBatchContainer(message with { SequenceNumber = ++_delivered }));
        return batches;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
