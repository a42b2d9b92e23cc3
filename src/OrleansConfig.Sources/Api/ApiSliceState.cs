namespace OrleansConfig.Sources.Api;

/// <summary>
/// The EndpointSlices one slice kind follows, kept per Service as kube-proxy's EndpointSliceCache keeps them, and
/// the Endpoints last sent for each Service. A slice change marks its Service; <see cref="TakeUpdates"/> merges only
/// the marked Services' slices (<see cref="EndpointSliceMerge"/>) and sends those whose Endpoints changed, so an
/// event costs its Service's slices and a relist that finds a Service unchanged sends nothing for it.
/// </summary>
internal sealed class ApiSliceState : IApiMerge<EndpointSlice>
{
    // Every slice by its own key, and the slice keys of each Service.
    private readonly Dictionary<ObjectKey, EndpointSlice> _slices = [];
    private readonly Dictionary<ObjectKey, HashSet<ObjectKey>> _byService = [];
    // The Endpoints the grain holds for each Service (what was sent and applied).
    private readonly Dictionary<ObjectKey, Endpoints> _sent = [];
    // Services whose slices changed since their Endpoints were last sent.
    private readonly HashSet<ObjectKey> _changed = [];
    // Computed by TakeUpdates, made the sent state by Sent once they were applied (null: removed).
    private readonly Dictionary<ObjectKey, Endpoints?> _pending = [];

    /// <summary>How many Services have slices.</summary>
    public int Services => _byService.Count;

    /// <summary>Replaces every slice with a list's (labelled, valid) slices.</summary>
    public void Relist(IEnumerable<EndpointSlice> slices)
    {
        _changed.UnionWith(_byService.Keys);
        _changed.UnionWith(_sent.Keys);
        _slices.Clear();
        _byService.Clear();
        foreach (var slice in slices) Put(slice);
    }

    /// <summary>A slice's newest state (its key's slice goes when <paramref name="slice"/> is null).</summary>
    public void Change(ObjectKey key, EndpointSlice? slice)
    {
        if (slice is null) Delete(key);
        else Put(slice);
    }

    /// <summary>
    /// The updates that bring the grain to the slices' merged Endpoints: a Remove of the Services whose last slice went and
    /// an Add of those whose Endpoints changed, at <paramref name="revision"/>; none when nothing changed.
    /// </summary>
    public IReadOnlyList<SourceUpdate> TakeUpdates(long revision)
    {
        _pending.Clear();
        foreach (var service in _changed)
        {
            var merged = Merge(service);
            _sent.TryGetValue(service, out var sent);
            if (Equals(merged, sent)) continue;
            _pending[service] = merged;
        }
        var removed = _pending.Where(p => p.Value is null).Select(p => Named(p.Key)).OrderBy(e => e.Key()).ToList();
        var upserted = _pending.Values.OfType<Endpoints>().OrderBy(e => e.Key()).ToList();
        List<SourceUpdate> updates = [];
        if (removed.Count > 0) updates.Add(Update(Operation.Remove, removed, revision));
        if (upserted.Count > 0) updates.Add(Update(Operation.Add, upserted, revision));
        return updates;
    }

    /// <summary>Every Service's merged Endpoints as the last <see cref="TakeUpdates"/> leaves them, for a Set.</summary>
    public List<Endpoints> All()
    {
        var all = new Dictionary<ObjectKey, Endpoints>(_sent);
        foreach (var (service, endpoints) in _pending)
        {
            if (endpoints is null) all.Remove(service);
            else all[service] = endpoints;
        }
        return [.. all.Values.OrderBy(e => e.Key())];
    }

    /// <summary>The last <see cref="TakeUpdates"/>' updates were applied: they are now what the grain holds.</summary>
    public void Sent()
    {
        foreach (var (service, endpoints) in _pending)
        {
            if (endpoints is null) _sent.Remove(service);
            else _sent[service] = endpoints;
        }
        _pending.Clear();
        _changed.Clear();
    }

    /// <summary>A Set of <see cref="All"/> was applied: the grain holds exactly that.</summary>
    public void SentAll(IEnumerable<Endpoints> all)
    {
        _sent.Clear();
        foreach (var endpoints in all) _sent[endpoints.Key()] = endpoints;
        _pending.Clear();
        _changed.Clear();
    }

    private void Put(EndpointSlice slice)
    {
        var key = slice.Key();
        // The filter lets only labelled slices through.
        var service = new ObjectKey(key.Namespace, slice.ServiceName ?? "");
        if (_slices.TryGetValue(key, out var old))
        {
            if (old.Equals(slice)) return;
            var oldService = new ObjectKey(key.Namespace, old.ServiceName ?? "");
            // A slice relabelled to another Service leaves its old one.
            if (oldService != service) Unlink(oldService, key);
        }
        _slices[key] = slice;
        if (!_byService.TryGetValue(service, out var keys)) _byService[service] = keys = [];
        keys.Add(key);
        _changed.Add(service);
    }

    private void Delete(ObjectKey key)
    {
        if (!_slices.Remove(key, out var old)) return;
        Unlink(new ObjectKey(key.Namespace, old.ServiceName ?? ""), key);
    }

    private void Unlink(ObjectKey service, ObjectKey slice)
    {
        if (_byService.TryGetValue(service, out var keys) && keys.Remove(slice) && keys.Count == 0) _byService.Remove(service);
        _changed.Add(service);
    }

    private Endpoints? Merge(ObjectKey service) =>
        _byService.TryGetValue(service, out var keys)
            ? EndpointSliceMerge.Merge(service.Namespace, service.Name, keys.Select(k => _slices[k]))
            : null;

    private static SourceUpdate Update(Operation op, List<Endpoints> endpoints, long revision) =>
        new() { Endpoints = new EndpointsUpdate(op, endpoints) { Revision = revision } };

    private static Endpoints Named(ObjectKey key) => new() { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } };
}
