using OrleansConfig.IntegrationTests.Cluster;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// A handler client as a proxy would be one: a <see cref="ServiceConfig"/> and an <see cref="EndpointsConfig"/> on one
/// test client, each with a handler that keeps the last union it was told (as <see cref="FaultCluster.Describe"/>
/// strings, in the order the handler got them).
/// </summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private readonly ServiceConfig _services;
    private readonly EndpointsConfig _endpoints;
    private string[] _lastServices = [];
    private string[] _lastEndpoints = [];

    public Subscriber(string name, TestClient client)
    {
        Name = name;
        Client = client;
        _services = new ServiceConfig(client.Client);
        _endpoints = new EndpointsConfig(client.Client);
        _services.RegisterHandler(union =>
        {
            Volatile.Write(ref _lastServices, [.. union.Select(FaultCluster.Describe)]);
            return Task.CompletedTask;
        });
        _endpoints.RegisterHandler(union =>
        {
            Volatile.Write(ref _lastEndpoints, [.. union.Select(FaultCluster.Describe)]);
            return Task.CompletedTask;
        });
    }

    public string Name { get; }

    public TestClient Client { get; }

    /// <summary>The Service union the handler was last told.</summary>
    public string[] Services => Volatile.Read(ref _lastServices);

    /// <summary>The Endpoints union the handler was last told.</summary>
    public string[] Endpoints => Volatile.Read(ref _lastEndpoints);

    /// <summary>Snapshots both views took after their first (gaps, epoch changes, reconnects, probes that found them behind).</summary>
    public long Resyncs => _services.ResyncCount + _endpoints.ResyncCount;

    /// <summary>The union versions the two views hold.</summary>
    public (UnionVersion Services, UnionVersion Endpoints) Versions => (_services.Version, _endpoints.Version);

    public Task WaitForSyncAsync(TimeSpan timeout) =>
        Task.WhenAll(_services.WaitForSyncAsync(), _endpoints.WaitForSyncAsync()).WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _endpoints.DisposeAsync();
    }
}
