using OrleansConfig.IntegrationTests.Cluster;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// Writes one source through one client, the way NoLossTests' writers do: each change is sent until the cluster
/// accepts it (a call that fails may or may not have landed, and every change here has the same effect when it lands
/// twice in a row), and only then taken into the model. So the model holds exactly the accepted changes, in order.
/// </summary>
internal sealed class ModelWriter(FaultCluster cluster, TestClient client, string source, int seed, bool sets)
{
    private readonly Random _random = new(seed);
    private readonly ISourceGrain _grain = client.Client.GetSource(source);
    private readonly List<TimeSpan> _acceptedAt = [];
    private int _retries;
    private string _lastError = "";

    public string Source { get; } = source;

    public int Accepted
    {
        get
        {
            lock (_acceptedAt) return _acceptedAt.Count;
        }
    }

    public int Retries => Volatile.Read(ref _retries);

    /// <summary>When (on the cluster's clock) the last change was accepted.</summary>
    public TimeSpan LastAcceptedAt
    {
        get
        {
            lock (_acceptedAt) return _acceptedAt.Count == 0 ? TimeSpan.Zero : _acceptedAt[^1];
        }
    }

    /// <summary>When the first change after <paramref name="moment"/> was accepted, if one was.</summary>
    public TimeSpan? FirstAcceptedAfter(TimeSpan moment)
    {
        lock (_acceptedAt) return _acceptedAt.Where(t => t > moment).Select(t => (TimeSpan?)t).FirstOrDefault();
    }

    /// <summary>The longest wait between two accepted changes (or from the start of writing to the first).</summary>
    public TimeSpan LongestWait { get; private set; }

    /// <summary>Sends random changes one after another until <paramref name="stop"/> says so (checked between changes,
    /// never during one).</summary>
    public async Task RunAsync(Func<bool> stop, CancellationToken cancellationToken)
    {
        var last = cluster.Clock.Elapsed;
        while (!stop())
        {
            await ApplyAsync(Next(), cancellationToken);
            var now = cluster.Clock.Elapsed;
            if (now - last > LongestWait) LongestWait = now - last;
            last = now;
            // A little room for the silos: two cores run all three of them, Redis and the test.
            await Task.Delay(2, cancellationToken);
        }
    }

    /// <summary>Sends <paramref name="count"/> random changes.</summary>
    public async Task WriteAsync(int count, CancellationToken cancellationToken)
    {
        var target = Accepted + count;
        await RunAsync(() => Accepted >= target, cancellationToken);
    }

    /// <summary>Sends one change until it is accepted, then records it in the model; a refusal fails the test.</summary>
    public async Task ApplyAsync(ModelOperation step, CancellationToken cancellationToken)
    {
        var update = step.ToUpdate();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ApplyResult result;
            try
            {
                result = await _grain.Apply(update);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The gateway, the grain's silo or the connection went away: whether it landed is unknown; sending it again is safe.
                Interlocked.Increment(ref _retries);
                Volatile.Write(ref _lastError, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                await Task.Delay(50, cancellationToken);
                continue;
            }
            Assert.True(result.Accepted, $"{Source}: {step} was refused: {string.Join("; ", result.Errors)}");
            cluster.Record(step);
            lock (_acceptedAt) _acceptedAt.Add(cluster.Clock.Elapsed);
            return;
        }
    }

    /// <summary>One Set of <paramref name="count"/> services in namespace <c>big</c>: large enough that the source
    /// stores a snapshot instead of journaling it.</summary>
    public ModelOperation BigSet(int count) =>
        new(Source, Endpoints: false, Operation.Set, [.. Enumerable.Range(0, count).Select(i => ("big", $"b{i}", 1))], Restart: false);

    public override string ToString() =>
        $"{Source}: {Accepted} accepted, {Retries} retries (last failure: {(_lastError.Length == 0 ? "none" : _lastError)}), longest " +
            $"wait {FaultCluster.Seconds(LongestWait)}";

    /// <summary>Mostly upserts, then removals, and (when allowed) a Set of a whole kind now and then, over a small key space.</summary>
    private ModelOperation Next()
    {
        var roll = _random.Next(100);
        var (op, count) = roll < 60 ? (Operation.Add, _random.Next(1, 4))
            : roll < 90 || !sets ? (Operation.Remove, _random.Next(1, 3))
            : (Operation.Set, _random.Next(0, 16));
        var items = Enumerable.Range(0, count)
            .Select(_ => (Namespace: _random.Next(2) == 0 ? "x" : "y", Name: $"n{_random.Next(30)}", Variant: _random.Next(1, 4)))
            .DistinctBy(item => (item.Namespace, item.Name))
            .ToArray();
        return new ModelOperation(Source, Endpoints: _random.Next(2) == 0, op, items, Restart: false);
    }
}
