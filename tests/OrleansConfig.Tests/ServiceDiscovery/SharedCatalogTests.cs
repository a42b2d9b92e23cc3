using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.ServiceDiscovery;
using OrleansConfig.Tests.Client;
using Xunit;

namespace OrleansConfig.Tests.ServiceDiscovery;

/// <summary>The one catalog of a service provider, over a fake cluster whose first snapshot the test holds back.</summary>
public sealed class SharedCatalogTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_first_resolution_waits_for_the_catalog_s_first_sync()
    {
        var aggregator = Cluster(out var gate);
        await using var provider = Provider(aggregator, TimeSpan.FromMinutes(5));

        var pending = Resolve(provider, "http://web");
        await Eventually.Until(() => aggregator.SnapshotCalls > 0, "the catalog asked for its first snapshot");
        Assert.False(pending.IsCompleted);
        gate.SetResult();

        var resolved = await pending.WaitAsync(Within);
        Assert.Equal(["http://10.0.0.1:8080/"], resolved.Endpoints.Select(e => ((UriEndPoint)e.EndPoint).Uri.ToString()));
    }

    [Fact]
    public async Task Past_the_first_sync_bound_a_resolution_answers_from_what_the_catalog_has()
    {
        var aggregator = Cluster(out _);
        await using var provider = Provider(aggregator, TimeSpan.FromMilliseconds(100));

        var resolved = await Resolve(provider, "http://web").WaitAsync(Within);

        // Not synced, so web is not known yet: nothing added, the next provider (none here) would answer.
        Assert.Empty(resolved.Endpoints);
    }

    [Fact]
    public async Task Every_provider_of_a_service_provider_shares_one_catalog()
    {
        var aggregator = Cluster(out var gate);
        gate.SetResult();
        var made = 0;
        var services = Services(aggregator, TimeSpan.FromMinutes(5), () => Interlocked.Increment(ref made));
        await using var provider = services.BuildServiceProvider();
        var resolver = provider.GetRequiredService<ServiceEndpointResolver>();

        await resolver.GetEndpointsAsync("http://web", CancellationToken.None).AsTask().WaitAsync(Within);
        await resolver.GetEndpointsAsync("http://_http.web.default", CancellationToken.None).AsTask().WaitAsync(Within);
        await resolver.GetEndpointsAsync("http://other", CancellationToken.None).AsTask().WaitAsync(Within);

        Assert.Equal(1, made);
        Assert.Equal(1, aggregator.SubscribeCalls);
    }

    private static FakeAggregator Cluster(out TaskCompletionSource gate)
    {
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aggregator = new FakeAggregator { SnapshotGate = gate };
        var meta = new ObjectMeta { Namespace = "default", Name = "web" };
        aggregator.Publish("file",
            services: [new Service { Metadata = meta, Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] } }],
            endpoints: [new Endpoints
            {
                Metadata = meta,
                Subsets =
                [
                    new EndpointSubset
                    {
                        Addresses = [new EndpointAddress { Ip = "10.0.0.1" }],
                        Ports = [new EndpointPort { Name = "http", Port = 8080 }],
                    },
                ],
            }]);
        return aggregator;
    }

    private static Task<ServiceEndpointSource> Resolve(ServiceProvider provider, string name) =>
        provider.GetRequiredService<ServiceEndpointResolver>().GetEndpointsAsync(name, CancellationToken.None).AsTask();

    private static ServiceProvider Provider(FakeAggregator aggregator, TimeSpan bound) =>
        Services(aggregator, bound, () => { }).BuildServiceProvider();

    private static ServiceCollection Services(FakeAggregator aggregator, TimeSpan bound, Action made)
    {
        var services = new ServiceCollection();
        services.AddSingleton<CatalogFactory>(options =>
        {
            made();
            return new ServiceCatalog(aggregator, options);
        });
        services.AddServiceDiscoveryCore();
        services.AddOrleansConfigServiceEndpointProvider(o => o.FirstSyncTimeout = bound);
        return services;
    }
}
