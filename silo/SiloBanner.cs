using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansConfig.Silo;

/// <summary>Says once, when the silo is up, where clients connect and where its state lives.</summary>
internal sealed partial class SiloBanner(
    IOptions<ClusterOptions> cluster,
    IOptions<EndpointOptions> endpoints,
    IConfiguration configuration,
    ILogger<SiloBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var e = endpoints.Value;
        LogReady(cluster.Value.ClusterId, e.GatewayPort > 0 ? new IPEndPoint(e.AdvertisedIPAddress, e.GatewayPort).ToString() : "(none)");
        var clustered = ClusterSettings.HasClustering(configuration);
        var redisStorage = ClusterSettings.RedisStorageNames(configuration).ToHashSet(StringComparer.Ordinal);
        LogSetup(
            clustered ? "Redis" : "localhost",
            redisStorage.Contains(OrleansConfigSilo.StorageName) ? "Redis" : "memory",
            redisStorage.Contains(OrleansConfigSilo.PubSubStorageName) ? "Redis" : "memory");
        if (clustered && !redisStorage.Contains(OrleansConfigSilo.StorageName)) LogVolatileState(OrleansConfigSilo.StorageName);
        if (LimitSettings.AllowSpecialAddresses(configuration) is (true, Defaulted: true))
        {
            LogSpecialAddressesAllowed(LimitSettings.AllowSpecialAddressesKey);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3001, LogLevel.Information, "Silo of cluster {ClusterId} is up; clients connect to gateway {Gateway}")]
    private partial void LogReady(string clusterId, string gateway);

    [LoggerMessage(3002, LogLevel.Information,
        "Clustering: {Clustering}; source state (Default storage): {Default}; stream subscriptions (PubSubStore): {PubSub}")]
    private partial void LogSetup(string clustering, string @default, string pubSub);

    [LoggerMessage(3003, LogLevel.Information,
        "Single-host silo: endpoint addresses on loopback, link-local, unspecified and multicast ranges (127.0.0.1, ...) are accepted; " +
        "set {Key}=false to refuse them")]
    private partial void LogSpecialAddressesAllowed(string key);

    [LoggerMessage(3004, LogLevel.Warning,
        "Several silos share this cluster but the {Storage} grain storage is in memory: a silo that dies takes its sources' state with " +
        "it (set Orleans:GrainStorage:Default:ProviderType=Redis)")]
    private partial void LogVolatileState(string storage);
}
