using OrleansConfig.Client;

namespace OrleansConfig.Tests.Client;

/// <summary>
/// A backend that loses the stream deltas <see cref="Keep"/> refuses, as a broken stream would; everything else
/// goes to the backend it wraps. Shared with the integration tests, which wrap the real cluster.
/// </summary>
internal sealed class LossyBackend(IConfigBackend inner) : IConfigBackend
{
    private Func<UnionDelta, bool>? _keep;
    private int _dropped;

    /// <summary>Return false to lose a delta; null keeps every one. May change while subscribed.</summary>
    public Func<UnionDelta, bool>? Keep
    {
        get => Volatile.Read(ref _keep);
        set => Volatile.Write(ref _keep, value);
    }

    /// <summary>Deltas lost so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public ClusterConnectionEvents? ConnectionEvents => inner.ConnectionEvents;

    public Task<UnionSnapshot> GetSnapshotAsync(ConfigKinds kinds, CancellationToken cancellationToken) =>
        inner.GetSnapshotAsync(kinds, cancellationToken);

    public Task<UnionVersion> GetVersionAsync(CancellationToken cancellationToken) => inner.GetVersionAsync(cancellationToken);

    public Task<SourceDelta?> GetChangeAsync(UnionVersion version, ConfigKinds kinds, CancellationToken cancellationToken) =>
        inner.GetChangeAsync(version, kinds, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(Action<UnionDelta> onDelta, Action<Exception> onError, CancellationToken cancellationToken) =>
        inner.SubscribeAsync(
            delta =>
            {
                if (Keep is { } keep && !keep(delta)) Interlocked.Increment(ref _dropped);
                else onDelta(delta);
            },
            onError,
            cancellationToken);

    public Task<ApplyResult> ApplyAsync(string source, SourceUpdate update, CancellationToken cancellationToken) =>
        inner.ApplyAsync(source, update, cancellationToken);
}
