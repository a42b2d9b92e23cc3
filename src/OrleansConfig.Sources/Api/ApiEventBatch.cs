namespace OrleansConfig.Sources.Api;

/// <summary>
/// Watch events that arrived together, folded to each key's last state: the updates they make are a Remove
/// of the keys that went (or turned bad) and an Add of the rest, both at the last event's resourceVersion.
/// </summary>
internal sealed class ApiEventBatch<T>(ApiKind<T> kind) where T : class, IConfigItem
{
    // Each key's last state: the object, or null when it went.
    private readonly Dictionary<ObjectKey, T?> _changes = [];

    public int Count { get; private set; }

    public int Bookmarks { get; private set; }

    /// <summary>The last event's resourceVersion ("" until one carries one).</summary>
    public string ResourceVersion { get; private set; } = "";

    public List<ApiBadObject> NewlyBad { get; } = [];

    public void Add(ApiWatchEvent<T> e)
    {
        Count++;
        if (e.ResourceVersion.Length > 0) ResourceVersion = e.ResourceVersion;
        switch (e.Type)
        {
            case ApiWatchEventType.Bookmark:
                Bookmarks++;
                return;
            case ApiWatchEventType.Deleted when e.Object is { } gone:
                kind.Filter.Deleted(gone.Key());
                _changes[gone.Key()] = null;
                return;
            case ApiWatchEventType.Added or ApiWatchEventType.Modified when e.Object is { } item:
                _changes[item.Key()] = kind.Filter.FromEvent(item, NewlyBad);
                return;
        }
    }

    /// <summary>The updates to send, in order (none for bookmarks alone).</summary>
    public IReadOnlyList<SourceUpdate> ToUpdates()
    {
        var revision = kind.RevisionOf(ResourceVersion);
        if (kind.Merge is { } merge)
        {
            foreach (var (key, item) in _changes) merge.Change(key, item);
            return merge.TakeUpdates(revision);
        }
        List<T> removed = [];
        List<T> upserted = [];
        foreach (var (key, item) in _changes)
        {
            if (item is not null)
            {
                upserted.Add(item);
                continue;
            }
            var named = kind.Named(key);
            // A key that is not a valid name was never added (its object was bad), so there is nothing to remove.
            if (ConfigValidator.Validate(kind.Update(Operation.Remove, [named], 0)).Count == 0) removed.Add(named);
        }
        if (kind.Known is { } known)
        {
            foreach (var item in removed) known.Remove(item.Key());
            foreach (var item in upserted) known.Add(item.Key());
        }
        List<SourceUpdate> updates = [];
        if (removed.Count > 0) updates.Add(kind.Update(Operation.Remove, removed, revision));
        if (upserted.Count > 0) updates.Add(kind.Update(Operation.Add, upserted, revision));
        return updates;
    }
}
