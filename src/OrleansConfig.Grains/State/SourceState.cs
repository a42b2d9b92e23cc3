namespace OrleansConfig.State;

/// <summary>
/// One source's Services and Endpoints with its sequence number: the pure logic of SourceGrain, and the
/// aggregator's slice of the union for that source.
/// </summary>
internal sealed class SourceState
{
    public SourceState(string source) => Source = source;

    public SourceState(string source, long sequence, IEnumerable<Service> services, IEnumerable<Endpoints> endpoints)
    {
        Source = source;
        Sequence = sequence;
        Services = new ItemTable<Service>(services);
        Endpoints = new ItemTable<Endpoints>(endpoints);
    }

    public string Source { get; }

    public long Sequence { get; private set; }

    /// <summary>Which stored history <see cref="Sequence"/> counts in (see <see cref="SourceDelta.Incarnation"/>).</summary>
    public Guid Incarnation { get; set; }

    /// <summary>The newest origin revision applied per kind (0: the origin has none).</summary>
    public long ServicesRevision { get; set; }
    public long EndpointsRevision { get; set; }

    public ItemTable<Service> Services { get; } = new();

    public ItemTable<Endpoints> Endpoints { get; } = new();

    /// <summary>
    /// The delta <paramref name="update"/> would make, its items tagged with this source; empty when it
    /// changes nothing. A part whose revision is older than the last applied is ignored (stale); the same
    /// revision is applied again, which is harmless (an origin's state at one revision is one state) and lets
    /// a relist at an unchanged revision repair drift.
    /// </summary>
    public SourceDelta Plan(SourceUpdate update, DateTimeOffset now)
    {
        List<Service> upsertedServices = [];
        List<ObjectKey> removedServices = [];
        List<Endpoints> upsertedEndpoints = [];
        List<ObjectKey> removedEndpoints = [];
        if (update.Services is { } services && IsCurrent(services.Revision, ServicesRevision))
        {
            Services.Plan(services.Op, Tag(services.Services), upsertedServices, removedServices);
        }
        if (update.Endpoints is { } endpoints && IsCurrent(endpoints.Revision, EndpointsRevision))
        {
            Endpoints.Plan(endpoints.Op, Tag(endpoints.Endpoints), upsertedEndpoints, removedEndpoints);
        }
        var delta = new SourceDelta
        {
            Source = Source,
            PreviousSequence = Sequence,
            UpsertedServices = upsertedServices,
            RemovedServices = removedServices,
            UpsertedEndpoints = upsertedEndpoints,
            RemovedEndpoints = removedEndpoints,
            ChangedAt = now,
            Incarnation = Incarnation,
        };
        return delta with { Sequence = delta.IsEmpty ? Sequence : Sequence + 1 };
    }

    /// <summary>The delta that turns this state into <paramref name="snapshot"/> (used to resync a slice).</summary>
    public SourceDelta PlanReplace(SourceSnapshot snapshot, DateTimeOffset now)
    {
        List<Service> upsertedServices = [];
        List<ObjectKey> removedServices = [];
        List<Endpoints> upsertedEndpoints = [];
        List<ObjectKey> removedEndpoints = [];
        Services.Plan(Operation.Set, snapshot.Services, upsertedServices, removedServices);
        Endpoints.Plan(Operation.Set, snapshot.Endpoints, upsertedEndpoints, removedEndpoints);
        return new SourceDelta
        {
            Source = Source,
            PreviousSequence = Sequence,
            Sequence = snapshot.Sequence,
            Incarnation = snapshot.Incarnation,
            UpsertedServices = upsertedServices,
            RemovedServices = removedServices,
            UpsertedEndpoints = upsertedEndpoints,
            RemovedEndpoints = removedEndpoints,
            ChangedAt = now,
        };
    }

    /// <summary>The items this state would hold after <paramref name="delta"/>, without changing it.</summary>
    public (Service[] Services, Endpoints[] Endpoints) Project(SourceDelta delta) =>
        (Services.Project(delta.UpsertedServices, delta.RemovedServices),
            Endpoints.Project(delta.UpsertedEndpoints, delta.RemovedEndpoints));

    public void Commit(SourceDelta delta)
    {
        Services.Commit(delta.UpsertedServices, delta.RemovedServices);
        Endpoints.Commit(delta.UpsertedEndpoints, delta.RemovedEndpoints);
        Sequence = delta.Sequence;
        Incarnation = delta.Incarnation;
    }

    /// <summary>The newest revision per kind once <paramref name="update"/> is applied (also when it changes nothing).</summary>
    public (long Services, long Endpoints) RevisionsAfter(SourceUpdate update) =>
        (Math.Max(ServicesRevision, update.Services?.Revision ?? 0), Math.Max(EndpointsRevision, update.Endpoints?.Revision ?? 0));

    /// <summary>Records the revisions of an applied update (also when it changed nothing).</summary>
    public void NoteRevisions(SourceUpdate update) => (ServicesRevision, EndpointsRevision) = RevisionsAfter(update);

    public SourceSnapshot ToSnapshot() => new()
    {
        Source = Source,
        Sequence = Sequence,
        Incarnation = Incarnation,
        Services = Services.ToArray(),
        Endpoints = Endpoints.ToArray(),
    };

    private static bool IsCurrent(long revision, long applied) => revision == 0 || revision >= applied;

    private List<T> Tag<T>(IReadOnlyList<T> items) where T : class, IConfigItem
    {
        var tagged = new List<T>(items.Count);
        // Compacted once, here: the journal, the change archive and the union (in this silo) then share these instances.
        foreach (var item in items) tagged.Add(ItemCompactor.Shared.Compact(item.WithSource(Source)));
        return tagged;
    }
}
