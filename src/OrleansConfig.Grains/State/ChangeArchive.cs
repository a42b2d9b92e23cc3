namespace OrleansConfig.State;

/// <summary>
/// Keeps the most recent changes that were too large for the stream, so subscribers fetch exactly the
/// change (O(change)) instead of a snapshot of the whole union.
/// </summary>
internal sealed class ChangeArchive(int maxChanges = 64, long maxWeight = 4_000_000)
{
    /// <summary>Above this weight (items, ports and addresses) a change travels by reference, keeping stream messages small.</summary>
    public const int StreamWeightLimit = 2_000;

    private readonly Queue<(long Version, long Weight)> _order = new();
    private readonly Dictionary<long, SourceDelta> _changes = [];
    private long _weight;

    /// <summary>
    /// Returns what to publish for <paramref name="delta"/>: itself, or an elided copy when it is too large,
    /// in which case the full change is kept for <see cref="Get"/>.
    /// </summary>
    public UnionDelta ForStream(UnionDelta delta)
    {
        var weight = Weight(delta.Change);
        if (weight <= StreamWeightLimit) return delta;
        _changes[delta.Version.Version] = delta.Change;
        _order.Enqueue((delta.Version.Version, weight));
        _weight += weight;
        while (_order.Count > maxChanges || (_weight > maxWeight && _order.Count > 1))
        {
            var (version, dropped) = _order.Dequeue();
            _changes.Remove(version);
            _weight -= dropped;
        }
        return delta with
        {
            Elided = true,
            Change = delta.Change with { UpsertedServices = [], RemovedServices = [], UpsertedEndpoints = [], RemovedEndpoints = [] },
        };
    }

    /// <summary>The kept change, with only the lists of <paramref name="kinds"/> (a subscriber of one kind fetches half).</summary>
    public SourceDelta? Get(long version, ConfigKinds kinds = ConfigKinds.All)
    {
        if (!_changes.TryGetValue(version, out var change)) return null;
        return kinds switch
        {
            ConfigKinds.Services => change with { UpsertedEndpoints = [], RemovedEndpoints = [] },
            ConfigKinds.Endpoints => change with { UpsertedServices = [], RemovedServices = [] },
            _ => change,
        };
    }

    /// <summary>A rough measure of a change's serialized size: one unit per item, port and address.</summary>
    public static long Weight(SourceDelta change)
    {
        long weight = change.RemovedServices.Count + change.RemovedEndpoints.Count;
        foreach (var service in change.UpsertedServices) weight += 1 + service.Spec.Ports.Count;
        foreach (var endpoints in change.UpsertedEndpoints)
        {
            weight++;
            foreach (var subset in endpoints.Subsets)
            {
                weight += subset.Addresses.Count + subset.NotReadyAddresses.Count + subset.Ports.Count;
            }
        }
        return weight;
    }
}
