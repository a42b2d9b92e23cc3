namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>
/// A change handler that rebuilds the union from the changes it is told, checking each against what it holds: an
/// added item must be new, an updated or removed one must be there with exactly the Old value told, and only the first
/// call is Initial. So a replay, a lost change or a torn difference shows up as a violation.
/// </summary>
public sealed class ChangeModel<T>(string prefix) : IServiceChangeHandler, IEndpointsChangeHandler where T : class, IConfigItem
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = [];
    private readonly List<string> _violations = [];
    private int _calls;
    private int _running;

    /// <summary>Calls so far.</summary>
    public int Calls
    {
        get { lock (_lock) return _calls; }
    }

    public IReadOnlyList<string> Violations
    {
        get { lock (_lock) return [.. _violations]; }
    }

    /// <summary>This test's items, as "namespace/name@source:content", in union order.</summary>
    public string[] Mine
    {
        get
        {
            lock (_lock)
            {
                return [.. _items.Where(p => p.Value.Source().StartsWith(prefix, StringComparison.Ordinal))
                    .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Content(p.Value)}")];
            }
        }
    }

    /// <summary>Every item held, keyed "namespace/name@source".</summary>
    public IReadOnlyDictionary<string, T> All
    {
        get { lock (_lock) return new Dictionary<string, T>(_items); }
    }

    public Task OnChanges(ConfigChanges<Service> changes) => Apply((ConfigChanges<T>)(object)changes);

    public Task OnChanges(ConfigChanges<Endpoints> changes) => Apply((ConfigChanges<T>)(object)changes);

    /// <summary>Waits until this test's items are exactly <paramref name="expected"/>.</summary>
    public Task Sees(params string[] expected) =>
        Eventually.Until(() => Mine.SequenceEqual(expected), what: $"the change handler to hold [{string.Join(", ", expected)}], holds [{string.Join(", ", Mine)}]");

    /// <summary>A Service's first port, an Endpoints' addresses: what tests change to make a new version.</summary>
    public static string Content(IConfigItem item) => item switch
    {
        Service s => string.Join(",", s.Spec.Ports.Select(p => p.Port)),
        Endpoints e => string.Join(",", e.Subsets.SelectMany(s => s.Addresses).Select(a => a.Ip)),
        _ => "",
    };

    private Task Apply(ConfigChanges<T> changes)
    {
        lock (_lock)
        {
            if (++_running > 1) _violations.Add("called concurrently");
            if (changes.Initial != (_calls == 0)) _violations.Add($"call {_calls} has Initial={changes.Initial}");
            _calls++;
            foreach (var item in changes.Added)
            {
                if (!_items.TryAdd(Items.Describe(item), item)) _violations.Add($"added {Items.Describe(item)} again");
            }
            foreach (var (old, now) in changes.Updated) Replace(old, now, "updated");
            foreach (var item in changes.Removed)
            {
                Replace(item, null, "removed");
                _items.Remove(Items.Describe(item));
            }
            _running--;
        }
        return Task.CompletedTask;
    }

    private void Replace(T old, T? now, string what)
    {
        var key = Items.Describe(old);
        if (!_items.TryGetValue(key, out var held)) _violations.Add($"{what} {key}, which it never had");
        else if (!held.Equals(old)) _violations.Add($"{what} {key} from a value it did not have");
        if (now is not null) _items[key] = now;
    }
}
