namespace OrleansConfig.Benchmarks.Baseline;

/// <summary>
/// The original package's algorithm, for comparison: per-source maps, and on every change the whole
/// union is rebuilt and handed to the handler, with no coalescing.
/// </summary>
internal sealed class SeedServiceConfig(Action<IReadOnlyList<Service>> handler)
{
    private readonly Dictionary<string, Dictionary<ObjectKey, Service>> _sources = [];

    public void Update(string source, ServiceUpdate update)
    {
        if (!_sources.TryGetValue(source, out var items)) _sources[source] = items = [];
        switch (update.Op)
        {
            case Operation.Add:
                foreach (var s in update.Services) items[s.Key()] = s;
                break;
            case Operation.Remove:
                foreach (var s in update.Services) items.Remove(s.Key());
                break;
            case Operation.Set:
                items.Clear();
                foreach (var s in update.Services) items[s.Key()] = s;
                break;
        }
        // MergedState + notify: O(union) on every change.
        var merged = new List<Service>();
        foreach (var state in _sources.Values) merged.AddRange(state.Values);
        handler(merged);
    }
}
