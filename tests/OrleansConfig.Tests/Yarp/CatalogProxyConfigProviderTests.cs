using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansConfig.Tests.Client;
using OrleansConfig.Yarp;
using Xunit;
using Yarp.ReverseProxy.Configuration;

namespace OrleansConfig.Tests.Yarp;

/// <summary>The provider over a catalog of a fake aggregator: a new configuration only when the catalog's change changes it.</summary>
public sealed class CatalogProxyConfigProviderTests
{
    private static readonly ObjectKey Web = new("default", "web");

    private static Service Svc(string rev = "1", string? path = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web",
            Labels = ValueMap.From([new("rev", rev)]),
            Annotations = path is null ? ValueMap.Empty : ValueMap.From([new(OrleansConfigProxyOptions.RoutePathAnnotation, path)]),
        },
        Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
    };

    private static Endpoints Eps(params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Subsets = [new EndpointSubset
        {
            Addresses = ValueList.From(ips.Select(ip => new EndpointAddress { Ip = ip })),
            Ports = [new EndpointPort { Name = "http", Port = 8080 }],
        }],
    };

    private static (CatalogProxyConfigProvider Provider, ServiceProvider Services) Provider(OrleansConfigProxyOptions? options = null)
    {
        var services = new ServiceCollection().AddLogging().AddRouting().AddReverseProxy().Services.BuildServiceProvider();
        return (new CatalogProxyConfigProvider(
            Options.Create(options ?? new OrleansConfigProxyOptions()),
            services.GetRequiredService<IConfigValidator>(),
            NullLogger<CatalogProxyConfigProvider>.Instance), services);
    }

    private static ServiceCatalog Catalog(FakeAggregator aggregator, params string[] priority) => new(
        aggregator,
        new ServiceCatalogOptions { SourcePriority = priority, Client = new ConfigClientOptions { ProbeInterval = TimeSpan.Zero } });

    private static async Task<IProxyConfig> Next(IProxyConfig config)
    {
        await Eventually.Until(() => config.ChangeToken.HasChanged, "the provider to publish a new configuration");
        return config;
    }

    private static string[] Destinations(IProxyConfig config, string cluster) =>
        [.. config.Clusters.Single(c => c.ClusterId == cluster).Destinations!.Values.Select(d => d.Address)];

    [Fact]
    public async Task It_serves_an_empty_configuration_until_it_follows_a_catalog_then_the_catalogs_services()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("file", services: [Svc(path: "/web/{**rest}")], endpoints: [Eps("10.0.0.1", "10.0.0.2")]);
        var (provider, services) = Provider();
        using var _ = services;
        using var __ = provider;
        await using var catalog = Catalog(aggregator);
        var empty = provider.GetConfig();
        Assert.Empty(empty.Clusters);
        Assert.Empty(empty.Routes);

        provider.Follow(catalog);
        await Next(empty);

        var config = provider.GetConfig();
        Assert.Equal(["http://10.0.0.1:8080", "http://10.0.0.2:8080"], Destinations(config, "default/web:http"));
        Assert.Equal("default/web:http", Assert.Single(config.Routes).ClusterId);
        Assert.Equal($"orleans-config {catalog.Version}", config.RevisionId);
    }

    [Fact]
    public async Task An_endpoint_change_publishes_a_new_configuration_with_the_same_route_object()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("file", services: [Svc(path: "/web/{**rest}")], endpoints: [Eps("10.0.0.1", "10.0.0.2")]);
        var (provider, services) = Provider();
        using var _ = services;
        using var __ = provider;
        await using var catalog = Catalog(aggregator);
        var first = provider.GetConfig();
        provider.Follow(catalog);
        await Next(first);
        var before = provider.GetConfig();

        aggregator.Publish("file", endpoints: [Eps("10.0.0.2")]);
        await Next(before);

        var after = provider.GetConfig();
        Assert.Equal(["http://10.0.0.2:8080"], Destinations(after, "default/web:http"));
        Assert.Same(before.Routes[0], after.Routes[0]);
    }

    [Fact]
    public async Task A_change_that_changes_no_cluster_or_route_publishes_nothing()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("file", services: [Svc()], endpoints: [Eps("10.0.0.1")]);
        var (provider, services) = Provider();
        using var _ = services;
        using var __ = provider;
        await using var catalog = Catalog(aggregator);
        var first = provider.GetConfig();
        provider.Follow(catalog);
        await Next(first);
        var config = provider.GetConfig();

        // A label is no part of YARP's configuration; a second service is. The second's configuration is the
        // first one published after the first: the label made none.
        aggregator.Publish("file", services: [Svc(rev: "2")]);
        aggregator.Publish("file", services: [Svc(rev: "2") with { Metadata = new ObjectMeta { Name = "api" } }]);
        await Next(config);

        var next = provider.GetConfig();
        Assert.Equal(["default/api:http", "default/web:http"], next.Clusters.Select(c => c.ClusterId));
        Assert.Same(config.Clusters.Single(), next.Clusters.Single(c => c.ClusterId == "default/web:http"));
    }

    [Fact]
    public async Task A_service_from_two_sources_takes_the_destinations_of_the_source_first_in_priority()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", services: [Svc()], endpoints: [Eps("10.0.0.1")]);
        aggregator.Publish("manual", services: [Svc()], endpoints: [Eps("10.0.0.9")]);
        var (provider, services) = Provider(new OrleansConfigProxyOptions { SourcePriority = ["manual"] });
        using var _ = services;
        using var __ = provider;
        await using var catalog = Catalog(aggregator, "manual");
        var first = provider.GetConfig();
        provider.Follow(catalog);
        await Next(first);
        var config = provider.GetConfig();

        Assert.Equal(["http://10.0.0.9:8080"], Destinations(config, "default/web:http"));
        Assert.Equal("manual", config.Clusters.Single().Metadata![ProxyConfigMapper.SourceMetadata]);

        // The winner goes: the other source's copy takes over.
        aggregator.Publish("manual", removeServices: [Web], removeEndpoints: [Web]);
        await Next(config);
        Assert.Equal(["http://10.0.0.1:8080"], Destinations(provider.GetConfig(), "default/web:http"));
    }

    [Fact]
    public void Options_with_an_empty_or_repeated_source_are_refused_naming_each()
    {
        var result = new OrleansConfigProxyOptionsValidator().Validate(null, new OrleansConfigProxyOptions { SourcePriority = ["a", " ", "a"] });

        Assert.True(result.Failed);
        Assert.Equal(["SourcePriority[1]: must not be empty", "SourcePriority[2]: duplicate source \"a\""], result.Failures!);
    }
}
