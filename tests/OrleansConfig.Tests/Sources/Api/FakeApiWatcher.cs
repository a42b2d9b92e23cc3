namespace OrleansConfig.Tests.Sources.Api;

/// <summary>An in-memory API server for the source's loop: its kinds on one resourceVersion sequence, and an outage switch.</summary>
internal sealed class FakeApiWatcher : IServicesWatcher, IEndpointsWatcher, IEndpointSlicesWatcher
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private long _version = 1;
    private volatile bool _down;

    public FakeApiWatcher()
    {
        Services = new FakeApiKind<Service>("services", _gate, () => ++_version, () => _version, _calls);
        Endpoints = new FakeApiKind<Endpoints>("endpoints", _gate, () => ++_version, () => _version, _calls);
        Slices = new FakeApiKind<EndpointSlice>("endpointslices", _gate, () => ++_version, () => _version, _calls);
    }

    public FakeApiKind<EndpointSlice> Slices { get; }

    public FakeApiKind<Service> Services { get; }

    public FakeApiKind<Endpoints> Endpoints { get; }

    public long Version
    {
        get
        {
            lock (_gate) return _version;
        }
    }

    /// <summary>Every call made, in order: "list services", "watch endpoints from 7".</summary>
    public string[] Calls
    {
        get
        {
            lock (_gate) return [.. _calls];
        }
    }

    public string[] CallsOf(string kind) =>
        [.. Calls.Where(c => c.EndsWith(kind, StringComparison.Ordinal) || c.Contains($" {kind} ", StringComparison.Ordinal))];

    /// <summary>The server becomes unreachable: open watches break, and calls are refused until <see cref="ComeBack"/>.</summary>
    public void GoDown()
    {
        _down = true;
        Services.EndWatches(new IOException("connection reset by peer"));
        Endpoints.EndWatches(new IOException("connection reset by peer"));
        Slices.EndWatches(new IOException("connection reset by peer"));
    }

    public void ComeBack() => _down = false;

    public Task<ApiList<Service>> ListServicesAsync(CancellationToken cancellationToken) => Services.ListAsync(_down, cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(string resourceVersion, CancellationToken cancellationToken) =>
        Services.WatchAsync(_down, resourceVersion, cancellationToken);

    public Task<ApiList<Endpoints>> ListEndpointsAsync(CancellationToken cancellationToken) =>
        Endpoints.ListAsync(_down, cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(string resourceVersion, CancellationToken cancellationToken) =>
        Endpoints.WatchAsync(_down, resourceVersion, cancellationToken);

    public Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(CancellationToken cancellationToken) =>
        Slices.ListAsync(_down, cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(
        string resourceVersion, CancellationToken cancellationToken) =>
        Slices.WatchAsync(_down, resourceVersion, cancellationToken);

    public Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(string namespaceName, CancellationToken cancellationToken) =>
        Slices.ListAsync(_down, cancellationToken, namespaceName);

    public IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) =>
        Slices.WatchAsync(_down, resourceVersion, cancellationToken, namespaceName);

    public Task<ApiList<Service>> ListServicesAsync(string namespaceName, CancellationToken cancellationToken) =>
        Services.ListAsync(_down, cancellationToken, namespaceName);

    public IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) =>
        Services.WatchAsync(_down, resourceVersion, cancellationToken, namespaceName);
}
