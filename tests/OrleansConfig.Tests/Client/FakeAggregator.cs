using OrleansConfig.Client;

namespace OrleansConfig.Tests.Client;

/// <summary>
/// An in-memory stand-in for the aggregator, its stream and the source grains, honouring the aggregator's contract:
/// versions grow by one per published delta within an epoch, and a snapshot at V holds exactly the deltas up to V.
/// </summary>
internal sealed class FakeAggregator : IConfigBackend
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UnionKey, Service> _services = [];
    private readonly Dictionary<UnionKey, Endpoints> _endpoints = [];
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<(string Source, SourceUpdate Update)> _applied = [];
    private readonly Dictionary<UnionVersion, SourceDelta> _changes = [];
    private int _snapshotCalls;
    private int _versionCalls;
    private int _subscribeCalls;

    public Guid Epoch { get; private set; } = Guid.NewGuid();

    public long LastVersion { get; private set; }

    public UnionVersion Version
    {
        get { lock (_lock) return new UnionVersion(Epoch, LastVersion); }
    }

    public ClusterConnectionEvents? ConnectionEvents { get; init; }

    /// <summary>When set, a snapshot waits for it; <see cref="CaptureAfterGate"/> says whether it reads the state
    /// before or after.</summary>
    public TaskCompletionSource? SnapshotGate { get; set; }

    public bool CaptureAfterGate { get; set; }

    /// <summary>How many upcoming snapshot / subscribe calls throw, as an unreachable cluster would.</summary>
    public int FailSnapshots { get; set; }

    public int FailSubscribes { get; set; }

    /// <summary>Replaces the source grains; by default every update is accepted and recorded.</summary>
    public Func<string, SourceUpdate, CancellationToken, Task<ApplyResult>>? ApplyHandler { get; set; }

    public int SnapshotCalls => Volatile.Read(ref _snapshotCalls);

    public int VersionCalls => Volatile.Read(ref _versionCalls);

    public int SubscribeCalls => Volatile.Read(ref _subscribeCalls);

    public int ActiveSubscriptions
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public IReadOnlyList<(string Source, SourceUpdate Update)> Applied
    {
        get { lock (_lock) return [.. _applied]; }
    }

    /// <summary>Applies a change to the union, stamps the next version and (unless <paramref name="deliver"/> is false)
    /// streams it.</summary>
    public UnionDelta Publish(
        string source,
        IEnumerable<Service>? services = null,
        IEnumerable<ObjectKey>? removeServices = null,
        IEnumerable<Endpoints>? endpoints = null,
        IEnumerable<ObjectKey>? removeEndpoints = null,
        bool deliver = true,
        bool elide = false)
    {
        UnionDelta delta;
        Subscriber[] subscribers;
        lock (_lock)
        {
            var change = new SourceDelta
            {
                Source = source,
                UpsertedServices = [.. services ?? []],
                RemovedServices = [.. removeServices ?? []],
                UpsertedEndpoints = [.. endpoints ?? []],
                RemovedEndpoints = [.. removeEndpoints ?? []],
            };
            foreach (var key in change.RemovedServices) _services.Remove(new UnionKey(key, source));
            foreach (var key in change.RemovedEndpoints) _endpoints.Remove(new UnionKey(key, source));
            foreach (var item in change.UpsertedServices) _services[new UnionKey(item.Key(), source)] = item.WithSource(source);
            foreach (var item in change.UpsertedEndpoints) _endpoints[new UnionKey(item.Key(), source)] = item.WithSource(source);
            LastVersion++;
            delta = new UnionDelta(new UnionVersion(Epoch, LastVersion), change);
            _changes[delta.Version] = change;
            if (elide) delta = delta with { Elided = true, Change = new SourceDelta { Source = source } };
            subscribers = [.. _subscribers];
        }

        if (deliver)
        {
            foreach (var subscriber in subscribers) subscriber.OnDelta(delta);
        }
        return delta;
    }

    /// <summary>Streams a delta again (late, duplicated or from an old epoch).</summary>
    public void Deliver(UnionDelta delta)
    {
        Subscriber[] subscribers;
        lock (_lock) subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers) subscriber.OnDelta(delta);
    }

    /// <summary>The stream reports an error to every subscriber, then forgets them.</summary>
    public void FailStream()
    {
        Subscriber[] subscribers;
        lock (_lock)
        {
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }
        foreach (var subscriber in subscribers) subscriber.OnError(new InvalidOperationException("fake: stream failed"));
    }

    /// <summary>A new activation: a new epoch, versions start again, the union is rebuilt as it was.</summary>
    public void Reactivate()
    {
        lock (_lock)
        {
            Epoch = Guid.NewGuid();
            LastVersion = 0;
        }
    }

    /// <summary>What a reconnect does to a client: the cluster forgets its stream subscriptions.</summary>
    public void DropSubscriptions()
    {
        lock (_lock) _subscribers.Clear();
    }

    // Both kinds whatever is asked: a subscriber must only read the kinds it follows.
    public async Task<UnionSnapshot> GetSnapshotAsync(ConfigKinds kinds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _snapshotCalls);
        lock (_lock)
        {
            if (FailSnapshots > 0)
            {
                FailSnapshots--;
                throw new TimeoutException("fake: aggregator unreachable");
            }
        }

        var snapshot = CaptureAfterGate ? null : Capture();
        if (SnapshotGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return snapshot ?? Capture();
    }

    /// <summary>Forgets the changes kept for elided deltas, as the aggregator does when its archive is full.</summary>
    public void ForgetChanges()
    {
        lock (_lock) _changes.Clear();
    }

    public Task<SourceDelta?> GetChangeAsync(UnionVersion version, ConfigKinds kinds, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_changes.GetValueOrDefault(version));
    }

    public Task<UnionVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _versionCalls);
        return Task.FromResult(Version);
    }

    public Task<IAsyncDisposable> SubscribeAsync(Action<UnionDelta> onDelta, Action<Exception> onError, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _subscribeCalls);
        lock (_lock)
        {
            if (FailSubscribes > 0)
            {
                FailSubscribes--;
                throw new TimeoutException("fake: stream unreachable");
            }

            var subscriber = new Subscriber(this, onDelta, onError);
            _subscribers.Add(subscriber);
            return Task.FromResult<IAsyncDisposable>(subscriber);
        }
    }

    public async Task<ApplyResult> ApplyAsync(string source, SourceUpdate update, CancellationToken cancellationToken)
    {
        var result = ApplyHandler is { } handler
            ? await handler(source, update, cancellationToken)
            : new ApplyResult { Accepted = true, Changed = true };
        if (result.Accepted)
        {
            lock (_lock) _applied.Add((source, update));
        }
        return result;
    }

    private UnionSnapshot Capture()
    {
        lock (_lock)
        {
            return new UnionSnapshot
            {
                Version = new UnionVersion(Epoch, LastVersion),
                Services = [.. _services.OrderBy(p => p.Key).Select(p => p.Value)],
                Endpoints = [.. _endpoints.OrderBy(p => p.Key).Select(p => p.Value)],
            };
        }
    }

    private sealed class Subscriber(FakeAggregator owner, Action<UnionDelta> onDelta, Action<Exception> onError) : IAsyncDisposable
    {
        public void OnDelta(UnionDelta delta) => onDelta(delta);

        public void OnError(Exception exception) => onError(exception);

        public ValueTask DisposeAsync()
        {
            lock (owner._lock) owner._subscribers.Remove(this);
            return ValueTask.CompletedTask;
        }
    }
}
