using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Streams.Core;

namespace OrleansConfig.Streaming;

/// <summary>
/// Removes the union-stream subscriptions of a client that went away without unsubscribing (a watcher killed with
/// SIGKILL): when this silo's gateway drops a client (after <c>Orleans:Messaging:ClientDropTimeout</c> disconnected),
/// its subscriptions leave the pub-sub state (and <c>PubSubStore</c>), so they neither pile up nor meet the next change.
/// </summary>
internal sealed partial class DroppedClientSubscriptions(
    IStreamSubscriptionManagerAdmin subscriptions,
    ILocalSiloDetails silo,
    ILogger<DroppedClientSubscriptions> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    // Orleans raises "ClientDropped" on its "Orleans.Gateway" diagnostic listener; the payload type is internal, its fields public.
    internal const string GatewayListener = "Orleans.Gateway";
    internal const string ClientDroppedEvent = "ClientDropped";

    private readonly Channel<GrainId> _dropped = Channel.CreateUnbounded<GrainId>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _listeners = [];
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DroppedClientSubscriptions), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        lock (_listeners) _listeners.Add(DiagnosticListener.AllListeners.Subscribe(this));
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        lock (_listeners)
        {
            foreach (var listener in _listeners) listener.Dispose();
            _listeners.Clear();
        }
        _dropped.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != GatewayListener) return;
        lock (_listeners) _listeners.Add(listener.Subscribe(this, name => name == ClientDroppedEvent));
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != ClientDroppedEvent || value.Value is not { } payload) return;
        // One process may host several silos (tests): each removes the clients its own gateway dropped.
        if (Field(payload, "SiloAddress") is { } gateway && !gateway.Equals(silo.SiloAddress)) return;
        if (Field<GrainId>(payload, "ClientId") is { } client) _dropped.Writer.TryWrite(client);
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _dropped.Reader.WaitToReadAsync(cancellationToken))
            {
                // Clients killed together are dropped in one gateway sweep: one read of the subscriptions serves them all.
                HashSet<GrainId> clients = [];
                while (_dropped.Reader.TryRead(out var client)) clients.Add(client);
                try
                {
                    await RemoveAsync(clients, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Orleans still removes such a subscription itself when a change fails to reach it.
                    LogRemoveFailed(exception, clients.Count);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RemoveAsync(HashSet<GrainId> clients, CancellationToken cancellationToken)
    {
        var manager = subscriptions.GetStreamSubscriptionManager(StreamSubscriptionManagerType.ExplicitSubscribeOnly);
        var all = await manager.GetSubscriptions(UnionStream.ProviderName, UnionStream.Id).WaitAsync(cancellationToken);
        foreach (var group in all.Where(s => ClientOf(s.GrainId) is { } c && clients.Contains(c)).GroupBy(s => ClientOf(s.GrainId)!.Value))
        {
            var removed = 0;
            foreach (var subscription in group)
            {
                await manager.RemoveSubscription(UnionStream.ProviderName, UnionStream.Id, subscription.SubscriptionId)
                    .WaitAsync(cancellationToken);
                removed++;
            }
            LogRemoved(group.Key, removed);
        }
    }

    /// <summary>
    /// The client a subscriber belongs to: a client's stream consumer is one of its observers, whose id is the client's
    /// id, '+', and the observer's own key (Orleans' ObserverGrainId, internal).
    /// </summary>
    internal static GrainId? ClientOf(GrainId consumer)
    {
        if (!consumer.IsClient()) return null;
        var key = consumer.Key.ToString();
        var separator = key.IndexOf('+', StringComparison.Ordinal);
        return separator < 0 ? consumer : GrainId.Create(consumer.Type, key[..separator]);
    }

    private static T? Field<T>(object payload, string name) where T : struct =>
        payload.GetType().GetField(name)?.GetValue(payload) is T value ? value : null;

    private static SiloAddress? Field(object payload, string name) =>
        payload.GetType().GetField(name)?.GetValue(payload) as SiloAddress;

    [LoggerMessage(1501, LogLevel.Information,
        "Client {Client} went away without unsubscribing; removed its {Count} union stream subscription(s)")]
    private partial void LogRemoved(GrainId client, int count);

    [LoggerMessage(1502, LogLevel.Warning,
        "Removing the union stream subscriptions of {Count} dropped client(s) failed; a change that cannot reach them removes them")]
    private partial void LogRemoveFailed(Exception exception, int count);
}
