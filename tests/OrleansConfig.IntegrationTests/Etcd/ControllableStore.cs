using System.Runtime.CompilerServices;
using OrleansConfig.Sources.Etcd;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>
/// The real store behind switches a test controls: <see cref="Disconnect"/> cuts this source off from etcd
/// (while etcd stays up for other writers), and <see cref="Hold"/> keeps watched changes from reaching
/// the source until <see cref="Release"/>, as a slow watcher on another silo would.
/// </summary>
internal sealed class ControllableStore(IEtcdStore inner) : IEtcdStore
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _cut = new();
    private bool _disconnected;
    private TaskCompletionSource _released = Released();

    public void Disconnect()
    {
        lock (_gate)
        {
            _disconnected = true;
            _cut.Cancel();
        }
    }

    public void Reconnect()
    {
        lock (_gate)
        {
            _cut.Dispose();
            _cut = new CancellationTokenSource();
            _disconnected = false;
        }
    }

    public void Hold()
    {
        lock (_gate) _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release()
    {
        lock (_gate) _released.TrySetResult();
    }

    public Task<EtcdRange> GetRangeAsync(string prefix, long revision, CancellationToken cancellationToken)
    {
        ThrowIfDisconnected("list");
        return inner.GetRangeAsync(prefix, revision, cancellationToken);
    }

    public async IAsyncEnumerable<EtcdWatchResponse> WatchAsync(string prefix, long startRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CancellationToken cut;
        lock (_gate)
        {
            ThrowIfDisconnected("watch");
            cut = _cut.Token;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut);
        await using var responses = inner.WatchAsync(prefix, startRevision, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            EtcdWatchResponse response;
            try
            {
                if (!await responses.MoveNextAsync()) yield break;
                response = responses.Current;
                if (response.Events.Count > 0)
                {
                    Task released;
                    lock (_gate) released = _released.Task;
                    await released.WaitAsync(linked.Token);
                }
            }
            catch (OperationCanceledException) when (cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new EtcdStoreException("watch failed: Unavailable: disconnected by the test");
            }
            yield return response;
        }
    }

    public void Dispose() => inner.Dispose();

    private void ThrowIfDisconnected(string what)
    {
        if (_disconnected) throw new EtcdStoreException($"{what} failed: Unavailable: disconnected by the test");
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
