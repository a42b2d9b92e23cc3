namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// The original package's semantics as a plain in-memory model: per-source state by kind, Add upserts,
/// Remove deletes by key, Set replaces that source's state of that kind; the union is every source's items.
/// </summary>
internal sealed class UnionModel
{
    private readonly Dictionary<(string Source, bool Endpoints, ObjectKey Key), string> _items = [];

    public void Apply(string source, bool endpoints, Operation op, IEnumerable<(ObjectKey Key, string Content)> items)
    {
        var list = items.ToList();
        if (op == Operation.Set)
        {
            foreach (var key in _items.Keys.Where(k => k.Source == source && k.Endpoints == endpoints).ToList()) _items.Remove(key);
        }
        foreach (var (key, content) in list)
        {
            if (op == Operation.Remove) _items.Remove((source, endpoints, key));
            else _items[(source, endpoints, key)] = content;
        }
    }

    /// <summary>The union of one kind as "namespace/name@source=content", in the handlers' order.</summary>
    public string[] Union(bool endpoints, Func<string, bool> sourceFilter) =>
        [.. _items.Where(p => p.Key.Endpoints == endpoints && sourceFilter(p.Key.Source))
            .OrderBy(p => p.Key.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Key.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Source, StringComparer.Ordinal)
            .Select(p => $"{p.Key.Key}@{p.Key.Source}={p.Value}")];
}
