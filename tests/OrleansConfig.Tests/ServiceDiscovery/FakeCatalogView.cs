using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using OrleansConfig.ServiceDiscovery;

namespace OrleansConfig.Tests.ServiceDiscovery;

/// <summary>A catalog in memory: tests set entries, and setting one fires its change token as the real catalog does.</summary>
internal sealed class FakeCatalogView : ICatalogView
{
    private readonly ConcurrentDictionary<ObjectKey, Entry> _entries = new();
    private readonly ConcurrentDictionary<ObjectKey, CancellationTokenSource> _watches = new();

    public TaskCompletionSource<bool> Synced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(string ns, string name, IReadOnlyList<ServicePort> ports, IReadOnlyDictionary<string, IReadOnlyList<string>> ready)
    {
        var key = new ObjectKey(ns, name);
        _entries[key] = new Entry(ports, ready);
        if (_watches.TryRemove(key, out var source)) source.Cancel();
    }

    public async ValueTask<bool> WaitForFirstSyncAsync(CancellationToken cancellationToken) =>
        await Synced.Task.WaitAsync(cancellationToken);

    public IChangeToken Watch(string ns, string name)
    {
        return new CancellationChangeToken(_watches.GetOrAdd(new ObjectKey(ns, name), _ => new CancellationTokenSource()).Token);
    }

    public bool TryGetPorts(string ns, string name, out IReadOnlyList<ServicePort> ports)
    {
        ports = _entries.TryGetValue(new ObjectKey(ns, name), out var entry) ? entry.Ports : [];
        return entry is not null;
    }

    public IReadOnlyList<string> Resolve(string ns, string name, string? portName) =>
        _entries.TryGetValue(new ObjectKey(ns, name), out var entry) && entry.Ready.TryGetValue(portName ?? "", out var ready) ? ready : [];

    private sealed record Entry(IReadOnlyList<ServicePort> Ports, IReadOnlyDictionary<string, IReadOnlyList<string>> Ready);
}
