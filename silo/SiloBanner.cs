using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansConfig.Silo;

/// <summary>Says once, when the silo is up, where clients connect.</summary>
internal sealed partial class SiloBanner(
    IOptions<ClusterOptions> cluster,
    IOptions<EndpointOptions> endpoints,
    ILogger<SiloBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var e = endpoints.Value;
        LogReady(cluster.Value.ClusterId, e.GatewayPort > 0 ? new IPEndPoint(e.AdvertisedIPAddress, e.GatewayPort).ToString() : "(none)");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo of cluster {ClusterId} is up; clients connect to gateway {Gateway}")]
    private partial void LogReady(string clusterId, string gateway);
}
