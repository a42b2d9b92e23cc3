using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansConfig.Streaming;

/// <summary>
/// A union queue message as the pulling agent and its cache see it. It travels to every subscriber, clients
/// included, so it lives here beside the events rather than with the silo-side queue.
/// </summary>
[GenerateSerializer, Alias("OrleansConfig.UnionBatchContainer")]
internal sealed class UnionBatchContainer(UnionQueueMessage message) : IBatchContainer
{
    [Id(0)] private readonly UnionQueueMessage _message = message;
    [Id(1)] private readonly EventSequenceTokenV2 _token = new(message.SequenceNumber);

    public StreamId StreamId => _message.StreamId;

    internal UnionQueueMessage Message => _message;

    public StreamSequenceToken SequenceToken => _token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        _message.Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, _token.CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext()
    {
        if (_message.RequestContext is null) return false;
        RequestContextExtensions.Import(_message.RequestContext);
        return true;
    }
}
