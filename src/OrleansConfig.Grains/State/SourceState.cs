namespace OrleansConfig.State;

/// <summary>
/// One source's Services and Endpoints with its sequence number: the pure logic of SourceGrain, and the
/// aggregator's slice of the union for that source. A source grain also keeps the source's EndpointSlices: each
/// Service that has slices gets its Endpoints merged from them (<see cref="EndpointSliceMerge"/>), and while it has
/// any they win over a v1 Endpoints the source sent for it (kept aside as shadowed, back once the slices are gone),
/// as kube-proxy reads only slices. <see cref="Endpoints"/> is what the union holds.
/// </summary>
internal sealed class SourceState
{
    public SourceState(string source) => Source = source;

    public SourceState(
        string source, long sequence, IEnumerable<Service> services, IEnumerable<Endpoints> endpoints,
        IEnumerable<EndpointSlice>? slices = null, IEnumerable<Endpoints>? shadowed = null)
    {
        Source = source;
        Sequence = sequence;
        Services = new ItemTable<Service>(services);
        Endpoints = new ItemTable<Endpoints>(endpoints);
        Slices = new ItemTable<EndpointSlice>(slices ?? []);
        Shadowed = new ItemTable<Endpoints>(shadowed ?? []);
        foreach (var slice in Slices.Items) Index(slice);
    }

    public string Source { get; }

    public long Sequence { get; private set; }

    /// <summary>Which stored history <see cref="Sequence"/> counts in (see <see cref="SourceDelta.Incarnation"/>).</summary>
    public Guid Incarnation { get; set; }

    /// <summary>The newest origin revision applied per kind (0: the origin has none).</summary>
    public long ServicesRevision { get; set; }
    public long EndpointsRevision { get; set; }
    public long EndpointSlicesRevision { get; set; }

    public ItemTable<Service> Services { get; } = new();

    /// <summary>What the union holds: v1 Endpoints, and those merged from slices.</summary>
    public ItemTable<Endpoints> Endpoints { get; } = new();

    /// <summary>The source's EndpointSlices, keyed by the slice's <c>namespace/name</c>.</summary>
    public ItemTable<EndpointSlice> Slices { get; } = new();

    /// <summary>v1 Endpoints the source sent for Services whose slices win.</summary>
    public ItemTable<Endpoints> Shadowed { get; } = new();

    // Service key -> its slices' keys, so a change costs what the affected Services' slices cost, not the source's.
    private readonly Dictionary<ObjectKey, HashSet<ObjectKey>> _slicesByService = [];

    /// <summary>
    /// The delta <paramref name="update"/> would make, its items tagged with this source; empty when it
    /// changes nothing. A part whose revision is older than the last applied is ignored (stale); the same
    /// revision is applied again, which is harmless (an origin's state at one revision is one state) and lets
    /// a relist at an unchanged revision repair drift.
    /// </summary>
    public SourceDelta Plan(SourceUpdate update, DateTimeOffset now) => Plan(update, now, out _);

    /// <inheritdoc cref="Plan(SourceUpdate, DateTimeOffset)"/>
    /// <param name="update">The update to plan.</param>
    /// <param name="now">When it is accepted.</param>
    /// <param name="slices">What it does to the slices and shadowed Endpoints, which the union never sees.</param>
    public SourceDelta Plan(SourceUpdate update, DateTimeOffset now, out SliceChange slices)
    {
        List<Service> upsertedServices = [];
        List<ObjectKey> removedServices = [];
        List<Endpoints> upsertedEndpoints = [];
        List<ObjectKey> removedEndpoints = [];
        if (update.Services is { } services && IsCurrent(services.Revision, ServicesRevision))
        {
            Services.Plan(services.Op, Tag(services.Services), upsertedServices, removedServices);
        }
        var endpoints = update.Endpoints is { } e && IsCurrent(e.Revision, EndpointsRevision) ? e : null;
        var sliceUpdate = update.EndpointSlices is { } u && IsCurrent(u.Revision, EndpointSlicesRevision) ? u : null;
        slices = SliceChange.None;
        if ((sliceUpdate is null || sliceUpdate.Slices.Count == 0) && _slicesByService.Count == 0 && Shadowed.Count == 0)
        {
            // No slices anywhere: v1 Endpoints are what the union holds, planned as they always were.
            if (endpoints is not null) Endpoints.Plan(endpoints.Op, Tag(endpoints.Endpoints), upsertedEndpoints, removedEndpoints);
        }
        else
        {
            slices = PlanWithSlices(endpoints, sliceUpdate, upsertedEndpoints, removedEndpoints);
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

    /// <summary>
    /// Plans v1 Endpoints and slices together: each Service they touch gets its Endpoints from its slices when it has
    /// any after the change, else from its v1 Endpoints; only those Services are looked at.
    /// </summary>
    private SliceChange PlanWithSlices(
        EndpointsUpdate? endpoints, EndpointSliceUpdate? sliceUpdate, List<Endpoints> upsertedEndpoints, List<ObjectKey> removedEndpoints)
    {
        // The v1 Endpoints as the source sent them: in the union, or shadowed.
        var v1Upserts = new Dictionary<ObjectKey, Endpoints>();
        var v1Removals = new HashSet<ObjectKey>();
        if (endpoints is not null)
        {
            var keep = endpoints.Op == Operation.Set ? new HashSet<ObjectKey>(endpoints.Endpoints.Count) : null;
            foreach (var item in Tag(endpoints.Endpoints))
            {
                var key = item.Key();
                keep?.Add(key);
                if (endpoints.Op == Operation.Remove)
                {
                    if (V1(key) is not null) v1Removals.Add(key);
                }
                else if (!Equals(V1(key), item))
                {
                    v1Upserts[key] = item;
                }
            }
            if (keep is not null)
            {
                foreach (var key in Endpoints.Items.Select(i => i.Key()).Where(k => !_slicesByService.ContainsKey(k)).Concat(Shadowed.Keys))
                {
                    if (!keep.Contains(key)) v1Removals.Add(key);
                }
            }
        }

        List<EndpointSlice> sliceUpserts = [];
        List<ObjectKey> sliceRemovals = [];
        if (sliceUpdate is not null) Slices.Plan(sliceUpdate.Op, Tag(sliceUpdate.Slices), sliceUpserts, sliceRemovals);
        var affected = new HashSet<ObjectKey>(v1Upserts.Keys.Concat(v1Removals));
        var upsertedByKey = new Dictionary<ObjectKey, EndpointSlice>(sliceUpserts.Count);
        foreach (var slice in sliceUpserts)
        {
            upsertedByKey[slice.Key()] = slice;
            affected.Add(ServiceOf(slice));
            if (Slices.Get(slice.Key()) is { } old) affected.Add(ServiceOf(old));
        }
        foreach (var key in sliceRemovals) affected.Add(ServiceOf(Slices.Get(key)!));
        var removedSet = new HashSet<ObjectKey>(sliceRemovals);

        List<Endpoints> upsertedShadowed = [];
        List<ObjectKey> removedShadowed = [];
        foreach (var service in affected.Order())
        {
            // The Service's slices after the change: those it keeps, and those now naming it.
            var after = new List<EndpointSlice>();
            if (_slicesByService.TryGetValue(service, out var keys))
            {
                foreach (var key in keys)
                {
                    if (!removedSet.Contains(key) && !upsertedByKey.ContainsKey(key)) after.Add(Slices.Get(key)!);
                }
            }
            after.AddRange(upsertedByKey.Values.Where(s => ServiceOf(s) == service));
            var v1 = v1Upserts.TryGetValue(service, out var sent) ? sent : v1Removals.Contains(service) ? null : V1(service);
            var merged = after.Count > 0 ? EndpointSliceMerge.Merge(service.Namespace, service.Name, after)!.WithSource(Source) : v1;
            var current = Endpoints.Get(service);
            if (merged is not null && !merged.Equals(current)) upsertedEndpoints.Add(merged);
            else if (merged is null && current is not null) removedEndpoints.Add(service);
            var shadow = after.Count > 0 ? v1 : null;
            var shadowed = Shadowed.Get(service);
            if (shadow is not null && !shadow.Equals(shadowed)) upsertedShadowed.Add(shadow);
            else if (shadow is null && shadowed is not null) removedShadowed.Add(service);
        }
        return new SliceChange
        {
            UpsertedSlices = sliceUpserts,
            RemovedSlices = sliceRemovals,
            UpsertedShadowed = upsertedShadowed,
            RemovedShadowed = removedShadowed,
        };
    }

    /// <summary>The v1 Endpoints the source sent for <paramref name="key"/>, whether the union holds it or slices win.</summary>
    private Endpoints? V1(ObjectKey key) => _slicesByService.ContainsKey(key) ? Shadowed.Get(key) : Endpoints.Get(key);

    private static ObjectKey ServiceOf(EndpointSlice slice) => new(slice.Metadata.Namespace, slice.ServiceName ?? "");

    private void Index(EndpointSlice slice)
    {
        var service = ServiceOf(slice);
        if (!_slicesByService.TryGetValue(service, out var keys)) _slicesByService[service] = keys = [];
        keys.Add(slice.Key());
    }

    private void Unindex(EndpointSlice slice)
    {
        var service = ServiceOf(slice);
        if (_slicesByService.TryGetValue(service, out var keys) && keys.Remove(slice.Key()) && keys.Count == 0)
        {
            _slicesByService.Remove(service);
        }
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

    /// <summary>The slices and shadowed Endpoints this state would hold after <paramref name="slices"/>, without changing it.</summary>
    public (EndpointSlice[] Slices, Endpoints[] Shadowed) Project(SliceChange slices) =>
        (Slices.Project(slices.UpsertedSlices, slices.RemovedSlices), Shadowed.Project(slices.UpsertedShadowed, slices.RemovedShadowed));

    public void Commit(SourceDelta delta, SliceChange? slices = null)
    {
        Services.Commit(delta.UpsertedServices, delta.RemovedServices);
        Endpoints.Commit(delta.UpsertedEndpoints, delta.RemovedEndpoints);
        if (slices is { IsEmpty: false })
        {
            foreach (var key in slices.RemovedSlices)
            {
                if (Slices.Get(key) is { } old) Unindex(old);
            }
            foreach (var slice in slices.UpsertedSlices)
            {
                if (Slices.Get(slice.Key()) is { } old) Unindex(old);
                Index(slice);
            }
            Slices.Commit(slices.UpsertedSlices, slices.RemovedSlices);
            Shadowed.Commit(slices.UpsertedShadowed, slices.RemovedShadowed);
        }
        Sequence = delta.Sequence;
        Incarnation = delta.Incarnation;
    }

    /// <summary>The newest revision per kind once <paramref name="update"/> is applied (also when it changes nothing).</summary>
    public (long Services, long Endpoints, long EndpointSlices) RevisionsAfter(SourceUpdate update) =>
        (Math.Max(ServicesRevision, update.Services?.Revision ?? 0), Math.Max(EndpointsRevision, update.Endpoints?.Revision ?? 0),
            Math.Max(EndpointSlicesRevision, update.EndpointSlices?.Revision ?? 0));

    /// <summary>Records the revisions of an applied update (also when it changed nothing).</summary>
    public void NoteRevisions(SourceUpdate update) =>
        (ServicesRevision, EndpointsRevision, EndpointSlicesRevision) = RevisionsAfter(update);

    public SourceSnapshot ToSnapshot() => new()
    {
        Source = Source,
        Sequence = Sequence,
        Incarnation = Incarnation,
        Services = Services.ToArray(),
        Endpoints = Endpoints.ToArray(),
        EndpointSlices = Slices.ToArray(),
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
