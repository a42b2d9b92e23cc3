namespace OrleansConfig.State;

/// <summary>
/// The union of every source's state with its version: the pure logic of AggregatorGrain. Applying a
/// delta costs O(delta); only <see cref="ToSnapshot"/> is O(union).
/// </summary>
internal sealed class UnionState(Guid epoch)
{
    private readonly Dictionary<string, SourceState> _sources = new(StringComparer.Ordinal);

    // Sources dropped for silence: their state is kept (and follows their changes) but none of it is in the union.
    private readonly HashSet<string> _withheld = new(StringComparer.Ordinal);

    public UnionVersion Version { get; private set; } = new(epoch, 0);

    public IEnumerable<string> Sources => _sources.Keys.Order(StringComparer.Ordinal);

    public int ServiceCount { get; private set; }

    public int EndpointsCount { get; private set; }

    public long SequenceOf(string source) => _sources.TryGetValue(source, out var state) ? state.Sequence : 0;

    /// <summary>True when the union holds <paramref name="source"/> at least at this point of its history.</summary>
    public bool Has(string source, Guid incarnation, long sequence) =>
        _sources.TryGetValue(source, out var state) && state.Incarnation == incarnation && state.Sequence >= sequence;

    /// <summary>The items of each kind the union holds for the delta's source, when the delta follows on from them
    /// (null: it does not, and is not applied).</summary>
    public (int Services, int Endpoints)? HeldBefore(SourceDelta delta)
    {
        if (!_sources.TryGetValue(delta.Source, out var state)) return delta.PreviousSequence == 0 ? (0, 0) : null;
        var fresh = state.Sequence == 0 && state.Services.Count == 0 && state.Endpoints.Count == 0;
        var follows = delta.PreviousSequence == state.Sequence && (delta.Incarnation == state.Incarnation || fresh);
        return follows ? (state.Services.Count, state.Endpoints.Count) : null;
    }

    /// <summary>Loads a source's whole state while rebuilding, before any version is published.</summary>
    public void Load(SourceSnapshot snapshot)
    {
        var state = new SourceState(snapshot.Source, snapshot.Sequence, snapshot.Services, snapshot.Endpoints)
        {
            Incarnation = snapshot.Incarnation,
        };
        Forget(snapshot.Source);
        _sources[snapshot.Source] = state;
        if (snapshot.Dropped)
        {
            _withheld.Add(snapshot.Source);
            return;
        }
        ServiceCount += state.Services.Count;
        EndpointsCount += state.Endpoints.Count;
    }

    /// <summary>True while the source's items are held out of the union.</summary>
    public bool IsDropped(string source) => _withheld.Contains(source);

    /// <summary>
    /// Takes a source's items out of the union or puts them back, keeping its state; returns the change that removes
    /// or adds them, or null when nothing changes (already so, unknown source, no items).
    /// </summary>
    public UnionDelta? SetDropped(string source, bool dropped, DateTimeOffset now)
    {
        if (!_sources.TryGetValue(source, out var state) || _withheld.Contains(source) == dropped) return null;
        var delta = new SourceDelta
        {
            Source = source,
            PreviousSequence = state.Sequence,
            Sequence = state.Sequence,
            Incarnation = state.Incarnation,
            ChangedAt = now,
        };
        if (dropped)
        {
            _withheld.Add(source);
            ServiceCount -= state.Services.Count;
            EndpointsCount -= state.Endpoints.Count;
            delta = delta with
            {
                RemovedServices = [.. state.Services.Items.Select(s => s.Key())],
                RemovedEndpoints = [.. state.Endpoints.Items.Select(e => e.Key())],
            };
        }
        else
        {
            _withheld.Remove(source);
            ServiceCount += state.Services.Count;
            EndpointsCount += state.Endpoints.Count;
            delta = delta with { UpsertedServices = [.. state.Services.Items], UpsertedEndpoints = [.. state.Endpoints.Items] };
        }
        if (delta.IsEmpty) return null;
        Version = Version with { Version = Version.Version + 1 };
        return new UnionDelta(Version, delta);
    }

    /// <summary>
    /// Applies one source's change if it is the next one for that source; <paramref name="published"/> is null when
    /// the source is dropped (its state follows, the union does not change).
    /// </summary>
    public DeltaOutcome Apply(SourceDelta delta, out UnionDelta? published)
    {
        published = null;
        var state = GetOrAdd(delta.Source);
        if (delta.Incarnation != state.Incarnation)
        {
            // A source the union has never held starts with its first change; anything else is another history.
            var fresh = state.Sequence == 0 && state.Services.Count == 0 && state.Endpoints.Count == 0 && delta.PreviousSequence == 0;
            if (!fresh) return DeltaOutcome.Gap;
            state.Incarnation = delta.Incarnation;
        }
        if (delta.Sequence <= state.Sequence) return DeltaOutcome.Duplicate;
        if (delta.PreviousSequence != state.Sequence) return DeltaOutcome.Gap;
        published = Commit(state, delta);
        return DeltaOutcome.Applied;
    }

    /// <summary>Replaces a source's slice with its snapshot; returns the change, or null when nothing differs.</summary>
    public UnionDelta? Replace(SourceSnapshot snapshot, DateTimeOffset now)
    {
        var state = GetOrAdd(snapshot.Source);
        if (snapshot.Incarnation == state.Incarnation && snapshot.Sequence < state.Sequence) return null;
        var delta = state.PlanReplace(snapshot, now);
        if (delta.IsEmpty)
        {
            state.Commit(delta);
            return null;
        }
        return Commit(state, delta);
    }

    /// <summary>Makes the source's dropped state what its snapshot says (after <see cref="Replace"/>); the change, or null.</summary>
    public UnionDelta? FollowDropped(SourceSnapshot snapshot, DateTimeOffset now) => SetDropped(snapshot.Source, snapshot.Dropped, now);

    /// <summary>Drops a source's slice; returns the change that removes its items, or null when it held none.</summary>
    public UnionDelta? Remove(string source, DateTimeOffset now)
    {
        if (!_sources.TryGetValue(source, out var state)) return null;
        var delta = new SourceDelta
        {
            Source = source,
            PreviousSequence = state.Sequence,
            Sequence = state.Sequence,
            Incarnation = state.Incarnation,
            RemovedServices = [.. state.Services.Items.Select(s => s.Key())],
            RemovedEndpoints = [.. state.Endpoints.Items.Select(e => e.Key())],
            ChangedAt = now,
        };
        var held = _withheld.Contains(source);
        Forget(source);
        if (delta.IsEmpty || held) return null;
        Version = Version with { Version = Version.Version + 1 };
        return new UnionDelta(Version, delta);
    }

    public UnionSnapshot ToSnapshot()
    {
        var services = new List<Service>(ServiceCount);
        var endpoints = new List<Endpoints>(EndpointsCount);
        // By name, not by when each source was loaded (a rebuild loads them in the order they answer).
        foreach (var state in _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal))
        {
            if (_withheld.Contains(state.Source)) continue;
            services.AddRange(state.Services.Items);
            endpoints.AddRange(state.Endpoints.Items);
        }
        return new UnionSnapshot { Version = Version, Services = services, Endpoints = endpoints };
    }

    private UnionDelta? Commit(SourceState state, SourceDelta delta)
    {
        if (_withheld.Contains(state.Source))
        {
            state.Commit(delta);
            return null;
        }
        ServiceCount -= state.Services.Count;
        EndpointsCount -= state.Endpoints.Count;
        state.Commit(delta);
        ServiceCount += state.Services.Count;
        EndpointsCount += state.Endpoints.Count;
        Version = Version with { Version = Version.Version + 1 };
        return new UnionDelta(Version, delta);
    }

    private SourceState GetOrAdd(string source)
    {
        if (!_sources.TryGetValue(source, out var state))
        {
            state = new SourceState(source);
            _sources[source] = state;
        }
        return state;
    }

    private void Forget(string source)
    {
        if (_sources.Remove(source, out var old) && !_withheld.Remove(source))
        {
            ServiceCount -= old.Services.Count;
            EndpointsCount -= old.Endpoints.Count;
        }
    }
}

internal enum DeltaOutcome
{
    /// <summary>Applied and given the next version.</summary>
    Applied,

    /// <summary>Already in the union (a retry or a race with a resync): nothing to do.</summary>
    Duplicate,

    /// <summary>The union missed an earlier change of that source: it must resync the source.</summary>
    Gap,
}
