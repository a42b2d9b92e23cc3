using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using OrleansConfig.Streaming;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// Wraps the union stream's queue adapter so that its receivers hand the pulling agent what
/// <see cref="FaultyStream"/> makes of each read: the product carries no fault injection of its own.
/// </summary>
internal sealed class FaultyQueueAdapter(IQueueAdapterFactory factory, IQueueAdapter adapter, FaultyStream faults) : IQueueAdapterFactory, IQueueAdapter
{
    /// <summary>Replaces the union stream's adapter factory, registered by <c>AddOrleansConfig</c>, with one wrapped in faults.</summary>
    public static void Decorate(IServiceCollection services, FaultyStream faults)
    {
        var registered = services.Single(d =>
            d.ServiceType == typeof(IQueueAdapterFactory) && d.IsKeyedService && Equals(d.ServiceKey, UnionStream.ProviderName));
        var create = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The union stream's adapter factory is not registered by a factory.");
        services.Remove(registered);
        services.AddKeyedSingleton<IQueueAdapterFactory>(UnionStream.ProviderName, (provider, key) =>
        {
            var inner = (IQueueAdapterFactory)create(provider, key);
            return new FaultyQueueAdapter(inner, (IQueueAdapter)inner, faults);
        });
    }

    public string Name => adapter.Name;

    public bool IsRewindable => adapter.IsRewindable;

    public StreamProviderDirection Direction => adapter.Direction;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => factory.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => factory.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => factory.GetDeliveryFailureHandler(queueId);

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(adapter.CreateReceiver(queueId), faults);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        adapter.QueueMessageBatchAsync(streamId, events, token, requestContext);

    private sealed class Receiver(IQueueAdapterReceiver inner, FaultyStream faults) : IQueueAdapterReceiver
    {
        // Renumbered after the faults, so the agent's cache stays ordered when messages are duplicated or reordered.
        private long _delivered;

        public Task Initialize(TimeSpan timeout) => inner.Initialize(timeout);

        public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => inner.Initialize(timeout, cancellationToken);

        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

        public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
        {
            var batches = await inner.GetQueueMessagesAsync(maxCount, cancellationToken);
            var messages = faults.Apply([.. batches.Cast<UnionBatchContainer>().Select(batch => batch.Message)]);
            return [.. messages.Select(message => (IBatchContainer)new UnionBatchContainer(message with { SequenceNumber = ++_delivered }))];
        }

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) =>
            inner.MessagesDeliveredAsync(messages, cancellationToken);

        public Task Shutdown(TimeSpan timeout) => inner.Shutdown(timeout);

        public Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken) => inner.Shutdown(timeout, cancellationToken);
    }
}
