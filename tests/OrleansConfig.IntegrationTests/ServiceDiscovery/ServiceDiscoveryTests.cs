using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.ServiceDiscovery;

/// <summary>
/// HttpClient service discovery on the catalog: a named client built as a user would (the provider, then the
/// configuration provider), the cluster's client, sources writing through their grains, real Kestrel backends.
/// </summary>
[Collection(DiscoveryClusterCollection.Name)]
public sealed class ServiceDiscoveryTests(DiscoveryClusterFixture fixture) : IAsyncLifetime
{
    private readonly string _p = fixture.NewPrefix();
    private HttpBackends _backends = null!;
    private ServiceProvider _services = null!;

    private string Namespace => _p + "ns";

    private string Source => _p + "src";

    public async Task InitializeAsync()
    {
        _backends = await HttpBackends.StartAsync(3);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Services:{_p}legacy:http:0"] = $"http://127.0.0.1:{_backends.Ports[2]}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(fixture.Client);
        services.AddServiceDiscoveryCore();
        services.AddOrleansConfigServiceEndpointProvider(o => o.FirstSyncTimeout = TimeSpan.FromSeconds(20));
        services.AddConfigurationServiceEndpointProvider();
        services.AddHttpClient("x").AddServiceDiscovery();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task A_named_client_reaches_every_ready_address()
    {
        await Publish("web", [("http", [.. _backends.Ports])]);

        // The first request waits for the catalog's first sync, so it already sees the service.
        for (var i = 0; i < 12; i++) await Get($"http://web.{Namespace}/");

        Assert.All(_backends.Ports, port => Assert.True(_backends.Hits(port) > 0, $"backend {port} got no request"));
    }

    [Fact]
    public async Task Removing_an_address_through_a_source_stops_requests_to_it()
    {
        int kept = _backends.Ports[0], removed = _backends.Ports[1];
        await Publish("cart", [("http", [kept, removed])]);
        await Eventually.Get(() => Hits($"http://cart.{Namespace}/", 4), hit => hit.Contains(removed), what: "both backends in use");

        await Publish("cart", [("http", [kept])]);

        await Eventually.Get(
            () => Hits($"http://cart.{Namespace}/", 4), hit => hit.SetEquals([kept]), what: "requests only to the kept backend");
        var before = _backends.Hits(removed);
        for (var i = 0; i < 10; i++) Assert.Equal(kept, await Get($"http://cart.{Namespace}/"));
        Assert.Equal(before, _backends.Hits(removed));
    }

    [Fact]
    public async Task A_name_the_catalog_does_not_know_falls_through_to_configuration()
    {
        Assert.Equal(_backends.Ports[2], await Get($"http://{_p}legacy/"));
    }

    [Fact]
    public async Task Port_names_choose_the_service_port()
    {
        int metrics = _backends.Ports[0], grpc = _backends.Ports[1], http = _backends.Ports[2];
        await Publish("api", [("metrics", [metrics]), ("grpc", [grpc]), ("http", [http])]);
        await Publish("plain", [("metrics", [metrics]), ("grpc", [grpc])]);

        Assert.Equal(grpc, await Get($"http://_grpc.api.{Namespace}/"));
        Assert.Equal(http, await Get($"http://api.{Namespace}/"));
        Assert.Equal(http, await Get($"https+http://api.{Namespace}/"));
        Assert.Equal(metrics, await Get($"http://plain.{Namespace}/"));
    }

    /// <summary>
    /// One Service with these named ports, and its Endpoints: 127.0.0.1 at each listed backend port, one subset per backend port.
    /// </summary>
    private async Task Publish(string name, (string Port, int[] Backends)[] ports)
    {
        var meta = new ObjectMeta { Name = name, Namespace = Namespace };
        var service = new Service
        {
            Metadata = meta,
            Spec = new ServiceSpec { Ports = ValueList.From(ports.Select((p, i) => new ServicePort { Name = p.Port, Port = 8000 + i })) },
        };
        var endpoints = new Endpoints
        {
            Metadata = meta,
            Subsets = ValueList.From(ports.SelectMany(p => p.Backends.Select(backend => new EndpointSubset
            {
                Addresses = [new EndpointAddress { Ip = "127.0.0.1" }],
                Ports = [new EndpointPort { Name = p.Port, Port = backend }],
            }))),
        };
        var result = await fixture.Client.GetSource(Source).Apply(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [service]),
            Endpoints = new EndpointsUpdate(Operation.Add, [endpoints]),
        });
        Assert.True(result.Accepted, string.Join("; ", result.Errors));
    }

    private async Task<int> Get(string url)
    {
        var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient("x");
        return int.Parse(await client.GetStringAsync(url), CultureInfo.InvariantCulture);
    }

    private async Task<HashSet<int>> Hits(string url, int requests)
    {
        var hit = new HashSet<int>();
        for (var i = 0; i < requests; i++) hit.Add(await Get(url));
        return hit;
    }
}
