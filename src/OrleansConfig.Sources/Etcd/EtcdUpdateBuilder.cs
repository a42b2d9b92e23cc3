namespace OrleansConfig.Sources.Etcd;

/// <summary>
/// Turns etcd reads and watch events into SourceUpdates: a list becomes a Set of each kind, the events of
/// one revision become that revision's Adds and Removes. A bad value is skipped (and its key's item removed,
/// as the item can no longer be read); it is reported once per value, not at every resync. A value taken with unknown
/// fields is remembered with its warning until its key holds a value without them.
/// </summary>
internal sealed class EtcdUpdateBuilder(EtcdKeyLayout layout, ManifestLimits? limits = null,
    FieldValidation fieldValidation = FieldValidation.Warn)
{
    private readonly ManifestLimits _limits = limits ?? ManifestLimits.Default;

    // Keys whose current value is bad, with that value's revision.
    private Dictionary<string, long> _bad = new(StringComparer.Ordinal);

    // Keys whose current value was taken with warnings, with them as one line.
    private Dictionary<string, string> _warned = new(StringComparer.Ordinal);
    private bool _warningsChanged;

    /// <summary>How many keys currently hold a bad value.</summary>
    public int BadKeys => _bad.Count;

    /// <summary>Whether the warnings are to be shown on the grain again: they changed, or a list found some (a grain
    /// may have lost them).</summary>
    public bool WarningsChanged
    {
        get => _warningsChanged;
        set => _warningsChanged = value;
    }

    /// <summary>
    /// The line for <see cref="ISourceGrain.ReportWarning"/>: <c>/registry/services/specs/default/web: unknown field
    /// "spec.sessionAffinty"</c>, at most <paramref name="max"/> keys, or null when no key warns.
    /// </summary>
    public string? WarningSummary(int max = 5)
    {
        if (_warned.Count == 0) return null;
        var keys = _warned.Keys.Order(StringComparer.Ordinal).Take(max).Select(k => $"{k}: {_warned[k]}");
        return string.Join("; ", keys) + (_warned.Count > max ? $"; and {_warned.Count - max} more" : "");
    }

    /// <summary>Newly warned values as (key, warning) pairs since the last call, for the log.</summary>
    public List<(string Key, string Warning)> NewWarnings { get; } = [];

    public EtcdListing FromList(EtcdRange services, EtcdRange endpoints, EtcdRange? slices = null)
    {
        var revision = services.Revision;
        var bad = new Dictionary<string, long>(StringComparer.Ordinal);
        var warned = new Dictionary<string, string>(StringComparer.Ordinal);
        List<EtcdBadValue> newlyBad = [];
        List<Service> serviceItems = [];
        List<Endpoints> endpointsItems = [];
        List<EndpointSlice> sliceItems = [];
        foreach (var kv in services.Items.Concat(endpoints.Items).Concat(slices?.Items ?? []))
        {
            var key = layout.Parse(kv.Key, out var keyError);
            if (key is null)
            {
                if (keyError is not null) NoteBad(bad, kv.Key, kv.ModRevision, keyError, newlyBad);
                continue;
            }
            if (!EtcdValueDecoder.TryDecode(key.Value, kv.Value, _limits, fieldValidation, out var item, out var error, out var warnings))
            {
                NoteBad(bad, kv.Key, kv.ModRevision, error, newlyBad);
                continue;
            }
            if (warnings.Count > 0) warned[kv.Key] = NoteWarning(kv.Key, warnings);
            if (item is Service service) serviceItems.Add(service);
            else if (item is EndpointSlice slice) sliceItems.Add(slice);
            else endpointsItems.Add((Endpoints)item);
        }
        _bad = bad;
        _warningsChanged |= warned.Count != _warned.Count || warned.Count > 0;
        _warned = warned;
        var update = new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Set, serviceItems) { Revision = revision },
            Endpoints = new EndpointsUpdate(Operation.Set, endpointsItems) { Revision = revision },
            // Only a listing that read the slices' folder may replace them.
            EndpointSlices = slices is null ? null : new EndpointSliceUpdate(Operation.Set, sliceItems) { Revision = revision },
            Synced = true,
        };
        return new EtcdListing(update, revision, newlyBad);
    }

    /// <summary>The updates of the events newer than <paramref name="after"/>, one entry per revision in order.</summary>
    public EtcdBatch FromEvents(IEnumerable<EtcdEvent> events, long after)
    {
        List<EtcdRevisionUpdate> revisions = [];
        List<EtcdBadValue> newlyBad = [];
        foreach (var group in events.Where(e => e.ModRevision > after).GroupBy(e => e.ModRevision).OrderBy(g => g.Key))
        {
            var services = new EtcdKindChanges<Service>();
            var endpoints = new EtcdKindChanges<Endpoints>();
            var slices = new EtcdKindChanges<EndpointSlice>();
            foreach (var e in group) Classify(e, services, endpoints, slices, newlyBad);
            revisions.Add(new EtcdRevisionUpdate(group.Key, ToUpdates(group.Key, services, endpoints, slices)));
        }
        return new EtcdBatch(revisions, newlyBad);
    }

    private void Classify(
        EtcdEvent e, EtcdKindChanges<Service> services, EtcdKindChanges<Endpoints> endpoints, EtcdKindChanges<EndpointSlice> slices,
        List<EtcdBadValue> newlyBad)
    {
        var key = layout.Parse(e.Key, out var keyError);
        if (key is null)
        {
            if (keyError is null) return;
            if (e.Type == EtcdEventType.Put) NoteBad(_bad, e.Key, e.ModRevision, keyError, newlyBad);
            else _bad.Remove(e.Key);
            return;
        }

        var k = key.Value;
        IConfigItem? item = null;
        if (e.Type == EtcdEventType.Put)
        {
            if (EtcdValueDecoder.TryDecode(k, e.Value, _limits, fieldValidation, out item, out var error, out var warnings))
            {
                _bad.Remove(e.Key);
                if (warnings.Count > 0) SetWarning(e.Key, NoteWarning(e.Key, warnings));
                else ClearWarning(e.Key);
            }
            else
            {
                NoteBad(_bad, e.Key, e.ModRevision, error, newlyBad);
                ClearWarning(e.Key);
            }
        }
        else
        {
            _bad.Remove(e.Key);
            ClearWarning(e.Key);
        }

        // A delete, or a put whose value can't be read, removes the item the key names.
        if (k.Kind == EtcdKind.Service) services.Note(k.ObjectKey, item as Service);
        else if (k.Kind == EtcdKind.EndpointSlice) slices.Note(k.ObjectKey, item as EndpointSlice);
        else endpoints.Note(k.ObjectKey, item as Endpoints);
    }

    private static List<SourceUpdate> ToUpdates(
        long revision, EtcdKindChanges<Service> services, EtcdKindChanges<Endpoints> endpoints, EtcdKindChanges<EndpointSlice> slices)
    {
        var (servicesUpserts, servicesRemovals) = services.Split(Named<Service>);
        var (endpointsUpserts, endpointsRemovals) = endpoints.Split(Named<Endpoints>);
        var (slicesUpserts, slicesRemovals) = slices.Split(Named<EndpointSlice>);
        var servicesMixed = servicesUpserts.Count > 0 && servicesRemovals.Count > 0;
        var endpointsMixed = endpointsUpserts.Count > 0 && endpointsRemovals.Count > 0;
        var slicesMixed = slicesUpserts.Count > 0 && slicesRemovals.Count > 0;
        List<SourceUpdate> updates = [];
        if (services.Count == 0 && endpoints.Count == 0 && slices.Count == 0) return updates;

        updates.Add(new SourceUpdate
        {
            Services =
                First(servicesUpserts, servicesRemovals, revision, (op, items, rev) => new ServiceUpdate(op, items) { Revision = rev }),
            Endpoints =
                First(endpointsUpserts, endpointsRemovals, revision, (op, items, rev) => new EndpointsUpdate(op, items) { Revision = rev }),
            EndpointSlices =
                First(slicesUpserts, slicesRemovals, revision, (op, items, rev) => new EndpointSliceUpdate(op, items) { Revision = rev }),
        });
        if (servicesMixed || endpointsMixed || slicesMixed)
        {
            updates.Add(new SourceUpdate
            {
                Services = servicesMixed ? new ServiceUpdate(Operation.Add, servicesUpserts) { Revision = revision } : null,
                Endpoints = endpointsMixed ? new EndpointsUpdate(Operation.Add, endpointsUpserts) { Revision = revision } : null,
                EndpointSlices = slicesMixed ? new EndpointSliceUpdate(Operation.Add, slicesUpserts) { Revision = revision } : null,
            });
        }
        return updates;
    }

    // The first update of a revision: its removals when the kind also has upserts (they follow), else its only change.
    private static TUpdate? First<T,
        TUpdate>(List<T> upserts, List<T> removals, long revision, Func<Operation, List<T>, long, TUpdate> make)
        where TUpdate : class
    {
        if (upserts.Count > 0 && removals.Count > 0) return make(Operation.Remove, removals, revision);
        if (upserts.Count > 0) return make(Operation.Add, upserts, revision);
        if (removals.Count > 0) return make(Operation.Remove, removals, revision);
        return null;
    }

    private static T Named<T>(ObjectKey key) where T : IConfigItem
    {
        var metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name };
        if (typeof(T) == typeof(EndpointSlice)) return (T)(IConfigItem)new EndpointSlice { Metadata = metadata };
        return typeof(T) == typeof(Service)
            ? (T)(IConfigItem)new Service { Metadata = metadata }
            : (T)(IConfigItem)new Endpoints { Metadata = metadata };
    }

    /// <summary>The key's warnings as one line, noted for the log when they are new for that key.</summary>
    private string NoteWarning(string key, IReadOnlyList<string> warnings)
    {
        var line = string.Join("; ", warnings);
        if (!_warned.TryGetValue(key, out var known) || known != line) NewWarnings.Add((key, line));
        return line;
    }

    private void SetWarning(string key, string line)
    {
        if (_warned.TryGetValue(key, out var known) && known == line) return;
        _warned[key] = line;
        _warningsChanged = true;
    }

    private void ClearWarning(string key)
    {
        if (_warned.Count > 0 && _warned.Remove(key)) _warningsChanged = true;
    }

    private void NoteBad(Dictionary<string, long> bad, string key, long revision, string reason, List<EtcdBadValue> newlyBad)
    {
        // Reported once per value: a resync that finds the same bad value again stays quiet.
        if (!_bad.TryGetValue(key, out var known) || known != revision) newlyBad.Add(new EtcdBadValue(key, revision, reason));
        bad[key] = revision;
    }
}

/// <summary>What one watch response turns into: updates per revision, in order, and values newly found bad.</summary>
internal sealed record EtcdBatch(IReadOnlyList<EtcdRevisionUpdate> Revisions, IReadOnlyList<EtcdBadValue> BadValues);

/// <summary>What a list read turns into: one Set of each kind, and values newly found bad.</summary>
internal sealed record EtcdListing(SourceUpdate Update, long Revision, IReadOnlyList<EtcdBadValue> BadValues);

/// <summary>The updates one etcd revision makes: usually one, two when a kind has both puts and deletes.</summary>
internal sealed record EtcdRevisionUpdate(long Revision, IReadOnlyList<SourceUpdate> Updates);

/// <summary>A key the source skipped, and why.</summary>
internal sealed record EtcdBadValue(string Key, long ModRevision, string Reason);
