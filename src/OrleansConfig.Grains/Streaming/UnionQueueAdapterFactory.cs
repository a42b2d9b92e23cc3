using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansConfig.Streaming;

/// <summary>
/// A persistent-stream adapter over <see cref="UnionQueueGrain"/>: events stay in memory (like memory
/// streams), but the pulling agent's read waits at the queue, so a change is delivered as soon as it is
/// enqueued while an idle silo makes a few calls a second.
/// </summary>
internal sealed class UnionQueueAdapterFactory(
    string name,
    UnionQueueOptions options,
    IGrainFactory grains,
    ILoggerFactory loggerFactory) : IQueueAdapterFactory, IQueueAdapter
{
    private readonly HashRingBasedStreamQueueMapper _mapper = Mapper(name);
    // As many events as the queue grain holds: a subscriber that far behind has a gap and resyncs anyway, and a smaller
    // cache stops the agent reading the queue (back-pressure) while that subscriber catches up, holding up every other.
    private readonly SimpleQueueAdapterCache _cache =
        new(new SimpleQueueCacheOptions { CacheSize = UnionQueueGrain.Capacity }, name, loggerFactory);

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new UnionQueueReceiver(Queue(queueId), options.ReadWait);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string,
        object>? requestContext) =>
        Queue(_mapper.GetQueueForStream(streamId)).Enqueue(streamId, [.. events.Cast<object>()], requestContext);

    /// <summary>The key of the queue grain that carries <paramref name="streamId"/> of provider <paramref name="name"/>.</summary>
    internal static Guid QueueKey(string name, StreamId streamId) => QueueKey(name, Mapper(name).GetQueueForStream(streamId));

    private static HashRingBasedStreamQueueMapper Mapper(string name) =>
        new(new HashRingStreamQueueMapperOptions { TotalQueueCount = 1 }, name);

    private IUnionQueueGrain Queue(QueueId queueId) => grains.GetGrain<IUnionQueueGrain>(QueueKey(name, queueId));

    // Every silo must compute the same key, so the hash is a stable one: string.GetHashCode differs per process,
    // which gave each silo a queue of its own and left changes published on one silo unread by another's agent.
    private static Guid QueueKey(string name, QueueId queueId)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, (ulong)StableHash.ComputeHash(name) ^ 0x6f7267636f6e6669);
        BitConverter.TryWriteBytes(bytes[8..], queueId.GetNumericId());
        BitConverter.TryWriteBytes(bytes[12..], queueId.GetUniformHashCode());
        return new Guid(bytes);
    }
}

internal sealed class UnionQueueOptions
{
    /// <summary>How long a read waits at an empty queue: bounds idle calls, and how long the agent defers other work.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromMilliseconds(250);
}
