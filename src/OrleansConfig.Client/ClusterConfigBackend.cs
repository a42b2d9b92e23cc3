using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace OrleansConfig.Client;

/// <summary>The Orleans side of <see cref="IConfigBackend"/>: the aggregator grain, the union stream and source grains.</summary>
internal sealed class ClusterConfigBackend(IClusterClient client) : IConfigBackend
{
    public ClusterConnectionEvents? ConnectionEvents { get; } = client.ServiceProvider.GetService<ClusterConnectionEvents>();

    public Task<UnionSnapshot> GetSnapshotAsync(ConfigKinds kinds, CancellationToken cancellationToken) =>
        // In pages at one version: one message for a large union would meet the message size limit.
        client.GetAggregator().ReadSnapshotAsync(kinds, cancellationToken: cancellationToken);

    public Task<UnionVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        client.GetAggregator().GetVersion().WaitAsync(cancellationToken);

    public Task<SourceDelta?> GetChangeAsync(UnionVersion version, ConfigKinds kinds, CancellationToken cancellationToken) =>
        client.GetAggregator().GetChange(version, kinds).WaitAsync(cancellationToken);

    public async Task<IAsyncDisposable> SubscribeAsync(Action<UnionDelta> onDelta, Action<Exception> onError,
        CancellationToken cancellationToken)
    {
        var stream = client.GetStreamProvider(UnionStream.ProviderName).GetStream<UnionDelta>(UnionStream.Id);
        var subscribing = stream.SubscribeAsync(
            (delta, _) =>
            {
                onDelta(delta);
                return Task.CompletedTask;
            },
            exception =>
            {
                onError(exception);
                return Task.CompletedTask;
            });
        try
        {
            return new Subscription(await subscribing.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The subscribe may still succeed after we stop waiting; undo it rather than leave the cluster delivering to us.
            _ = subscribing.ContinueWith(
                static t => t.Result.UnsubscribeAsync(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default).Unwrap();
            throw;
        }
    }

    public Task<ApplyResult> ApplyAsync(string source, SourceUpdate update, CancellationToken cancellationToken) =>
        client.GetSource(source).Apply(update).WaitAsync(cancellationToken);

    private sealed class Subscription(StreamSubscriptionHandle<UnionDelta> handle) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await handle.UnsubscribeAsync().ConfigureAwait(false);
    }
}
