using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// HttpClient service discovery with a warm cache: the time per request of a named client that resolves
/// <c>http://web.bench</c> through the OrleansConfig provider, less the same client without discovery (both end in a
/// handler that answers at once, so only the pipeline is timed).
/// </summary>
internal static class DiscoveryScenario
{
    private const int Rounds = 5;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var requests = options.Size(500_000, 50_000);
        await using var cluster = await BenchCluster.Start(1);
        await Publish(cluster.Client);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(cluster.Client);
        services.AddServiceDiscoveryCore();
        services.AddOrleansConfigServiceEndpointProvider();
        var answered = new OkHandler();
        services.AddHttpClient("discovered").AddServiceDiscovery().ConfigurePrimaryHttpMessageHandler(() => answered);
        services.AddHttpClient("direct").ConfigurePrimaryHttpMessageHandler(() => answered);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var discovered = factory.CreateClient("discovered");
        var direct = factory.CreateClient("direct");

        // The first request waits for the catalog's first sync and fills the cache; the rest read it.
        await Time(discovered, "http://web.bench/", 2000);
        if (answered.LastHost is not ("10.0.0.1" or "10.0.0.2" or "10.0.0.3"))
        {
            throw new InvalidOperationException($"discovery did not resolve web.bench (the request went to {answered.LastHost})");
        }
        await Time(direct, "http://10.0.0.1:8080/", 2000);

        List<double> with = [], without = [];
        for (var round = 0; round < Rounds; round++)
        {
            with.Add(await Time(discovered, "http://web.bench/", requests / Rounds));
            without.Add(await Time(direct, "http://10.0.0.1:8080/", requests / Rounds));
        }
        var (withUs, withoutUs) = (Stats.Median(with), Stats.Median(without));
        results.Add("discovery_resolve_us", withUs - withoutUs, "us", null,
            $"per request, warm cache: {withUs:0.000} us with discovery - {withoutUs:0.000} us without; {requests} requests, 3 addresses");
    }

    /// <summary>Microseconds per request over <paramref name="count"/> sequential requests.</summary>
    private static async Task<double> Time(HttpClient client, string url, int count)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(url);
        }
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
    }

    private static async Task Publish(IClusterClient client)
    {
        var meta = new ObjectMeta { Name = "web", Namespace = "bench" };
        var result = await client.GetSource("discovery").Apply(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [new Service
            {
                Metadata = meta,
                Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
            }]),
            Endpoints = new EndpointsUpdate(Operation.Add, [new Endpoints
            {
                Metadata = meta,
                Subsets = [new EndpointSubset
                {
                    Addresses = [.. new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }.Select(ip => new EndpointAddress { Ip = ip })],
                    Ports = [new EndpointPort { Name = "http", Port = 8080 }],
                }],
            }]),
        });
        if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    /// <summary>Answers every request at once, remembering where the last one went.</summary>
    private sealed class OkHandler : HttpMessageHandler
    {
        public string? LastHost { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastHost = request.RequestUri?.Host;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
