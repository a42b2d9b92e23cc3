namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>Records each union a handler is told, restricted to one test's sources.</summary>
public sealed class RecordingHandler<T>(string prefix) : IServiceConfigHandler, IEndpointsConfigHandler where T : IConfigItem
{
    private readonly Lock _lock = new();
    private readonly List<string[]> _calls = [];

    public IReadOnlyList<string[]> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    public string[] Last
    {
        get { lock (_lock) return _calls.Count == 0 ? [] : _calls[^1]; }
    }

    public Task OnUpdate(IReadOnlyList<Service> services) => Record(services.Cast<IConfigItem>());

    public Task OnUpdate(IReadOnlyList<Endpoints> endpoints) => Record(endpoints.Cast<IConfigItem>());

    private Task Record(IEnumerable<IConfigItem> items)
    {
        // The handler's order is the union's order; the test only looks at its own sources.
        string[] mine = [.. items.Where(i => i.Source().StartsWith(prefix, StringComparison.Ordinal)).Select(Items.Describe)];
        lock (_lock)
        {
            if (_calls.Count == 0 || !_calls[^1].SequenceEqual(mine)) _calls.Add(mine);
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits until the handler's latest union (for this test's sources) is exactly <paramref name="expected"/>.</summary>
    public Task Sees(params string[] expected) =>
        Eventually.Until(() =>
            Last.SequenceEqual(expected), what: $"handler to see [{string.Join(", ", expected)}], last [{string.Join(", ", Last)}]");
}
