using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.Yarp;
using Xunit;

namespace OrleansConfig.Tests.Client;

/// <summary>The one catalog of a service provider that both adapters (service discovery, YARP) read.</summary>
public sealed class ServiceCatalogHostTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_host_with_both_adapters_resolves_both_from_one_catalog()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("file", services: [Items.HttpService("web")], endpoints: [Items.HttpEndpoints("web", "10.0.0.1")]);
        List<ServiceCatalog> made = [];
        var services = new ServiceCollection().AddLogging().AddRouting();
        services.AddSingleton<CatalogFactory>(options =>
        {
            var catalog = new ServiceCatalog(aggregator, options);
            lock (made) made.Add(catalog);
            return catalog;
        });
        services.AddReverseProxy().LoadFromOrleansConfig(o => o.SourcePriority = ["file"]);
        services.AddOrleansConfigServiceEndpointProvider();
        await using var provider = services.BuildServiceProvider();

        var proxy = provider.GetRequiredService<CatalogProxyConfigProvider>();
        var empty = proxy.GetConfig();
        foreach (var hosted in provider.GetServices<IHostedService>().OfType<IHostedLifecycleService>()) await hosted.StartedAsync(CancellationToken.None);
        await Eventually.Until(() => empty.ChangeToken.HasChanged, "the YARP provider to publish the catalog's services");
        var resolved = await provider.GetRequiredService<ServiceEndpointResolver>()
            .GetEndpointsAsync("http://web", CancellationToken.None).AsTask().WaitAsync(Within);

        Assert.Equal("http://10.0.0.1:8080", Assert.Single(Assert.Single(proxy.GetConfig().Clusters).Destinations!.Values).Address);
        Assert.Equal(["http://10.0.0.1:8080/"], resolved.Endpoints.Select(e => ((UriEndPoint)e.EndPoint).Uri.ToString()));
        Assert.Same(Assert.Single(made), provider.GetRequiredService<ServiceCatalogHost>().Catalog);
        Assert.Equal(1, aggregator.SubscribeCalls);
    }

    [Fact]
    public void Adapters_that_set_different_source_priorities_fail_naming_both()
    {
        var services = new ServiceCollection().AddLogging().AddRouting();
        services.AddReverseProxy().LoadFromOrleansConfig(o => o.SourcePriority = ["file"]);
        services.AddOrleansConfigServiceEndpointProvider(o => o.SourcePriority = ["api", "file"]);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ServiceCatalogHostOptions>>().Value);

        Assert.Contains("LoadFromOrleansConfig and AddOrleansConfigServiceEndpointProvider", error.Message, StringComparison.Ordinal);
        Assert.Contains("[file] and [api, file]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_priority_set_on_one_adapter_only_is_the_catalog_s()
    {
        var services = new ServiceCollection().AddLogging().AddRouting();
        services.AddOrleansConfigServiceEndpointProvider(o => o.SourcePriority = ["api", "file"]);
        services.AddReverseProxy().LoadFromOrleansConfig();
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(["api", "file"], provider.GetRequiredService<ServiceCatalogHost>().SourcePriority);
    }
}
