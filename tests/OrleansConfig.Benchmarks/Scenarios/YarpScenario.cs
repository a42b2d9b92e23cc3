using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.Yarp;
using Yarp.ReverseProxy.Configuration;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// YARP following an endpoint change: the time from a source's Apply of an Endpoints with a new address to the YARP
/// configuration provider (on its own catalog, as the gateway has it) publishing a configuration whose cluster holds
/// that address, the moment YARP reloads and routes by it.
/// </summary>
internal static class YarpScenario
{
    private static readonly ObjectMeta Meta = new() { Name = "web", Namespace = "bench-yarp" };

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var changes = options.Size(1000, 100);
        await using var cluster = await BenchCluster.Start(1);
        var source = cluster.Client.GetSource("yarp");
        await Apply(source, new ServiceUpdate(Operation.Add, [new Service
        {
            Metadata = Meta,
            Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
        }]), 0);

        await using var services = new ServiceCollection().AddLogging().AddRouting().AddReverseProxy().Services.BuildServiceProvider();
        using var provider = new CatalogProxyConfigProvider(
            Options.Create(new OrleansConfigProxyOptions()),
            services.GetRequiredService<IConfigValidator>(),
            NullLogger<CatalogProxyConfigProvider>.Instance);
        await using var catalog = new ServiceCatalog(cluster.Client);
        provider.Follow(catalog);
        await catalog.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));

        List<double> latencies = new(changes);
        for (var i = 1; i <= changes; i++)
        {
            var address = $"http://10.1.{i / 250}.{i % 250 + 1}:8080";
            var start = Stopwatch.GetTimestamp();
            await Apply(source, null, i);
            await WaitFor(provider, address);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        results.Add("yarp_update_p50_ms", Stats.Median(latencies), "ms", null,
            $"{changes} sequential Endpoints changes through a source -> the YARP provider's config holds the new destination, 1 silo");
        results.Add("yarp_update_p99_ms", Stats.Percentile(latencies, 99), "ms");
    }

    /// <summary>Returns once the provider's configuration holds <paramref name="address"/>, woken by its change token.</summary>
    private static async Task WaitFor(CatalogProxyConfigProvider provider, string address)
    {
        while (true)
        {
            var config = provider.GetConfig();
            if (Holds(config, address)) return;
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // A token that already fired calls back at once, so a change between the read and here is not missed.
            using (config.ChangeToken.RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), changed))
            {
                await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    private static bool Holds(IProxyConfig config, string address) =>
        config.Clusters.FirstOrDefault(c => c.ClusterId == "bench-yarp/web:http")?.Destinations?.Values.Any(d => d.Address == address) ?? false;

    /// <summary>The Service (once), or the Endpoints of change <paramref name="i"/>: one new ready address each time.</summary>
    private static async Task Apply(ISourceGrain source, ServiceUpdate? services, int i)
    {
        var result = await source.Apply(new SourceUpdate
        {
            Services = services,
            Endpoints = services is not null ? null : new EndpointsUpdate(Operation.Add, [new Endpoints
            {
                Metadata = Meta,
                Subsets = [new EndpointSubset
                {
                    Addresses = [new EndpointAddress { Ip = $"10.1.{i / 250}.{i % 250 + 1}" }],
                    Ports = [new EndpointPort { Name = "http", Port = 8080 }],
                }],
            }]),
        });
        if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
