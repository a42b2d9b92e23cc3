using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>An Orleans client in the test process, connected to a <see cref="LoopbackCluster"/> one way or another.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a call waits for its reply (Orleans' default is 30 s). A call a gateway forwarded to a silo that then
    /// died gets no reply and no error, so this bounds how long such a call holds its caller before it is retried.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    private readonly IHost _host;

    private readonly ClientLog _log;

    private TestClient(IHost host, string description, ClientLog log)
    {
        _host = host;
        Description = description;
        _log = log;
    }

    /// <summary>The client's recent warnings and OrleansConfig lines.</summary>
    public string Log => _log.Text;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public ILoggerFactory LoggerFactory => _host.Services.GetRequiredService<ILoggerFactory>();

    public string Description { get; }

    /// <summary>A client that knows only these gateways (Orleans' static clustering).</summary>
    /// <param name="configure">More client settings, e.g. a TLS certificate (<see cref="OrleansConfigClientOptions"/>).</param>
    public static Task<TestClient> ToGatewaysAsync(
        string clusterId, IEnumerable<IPEndPoint> gateways, CancellationToken cancellationToken,
            Action<OrleansConfigClientOptions>? configure = null)
    {
        IPEndPoint[] list = [.. gateways];
        return StartAsync(clusterId, c =>
            c.UseStaticClustering(list), $"gateways {string.Join(", ", list.Select(g => g.ToString()))}", cancellationToken, configure);
    }

    /// <summary>A client that finds every gateway in the silos' Redis membership table.</summary>
    public static Task<TestClient> ThroughRedisAsync(
        string clusterId, string redis, CancellationToken cancellationToken, Action<OrleansConfigClientOptions>? configure = null) =>
        StartAsync(clusterId, c =>
        {
            c.UseRedisClustering(redis);
            // Learn of a restarted silo soon (the default is a minute).
            c.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }, $"Redis clustering at {redis}", cancellationToken, configure);

    private static async Task<TestClient> StartAsync(
        string clusterId, Action<IClientBuilder> clustering, string description, CancellationToken cancellationToken,
            Action<OrleansConfigClientOptions>? configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        var log = new ClientLog();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.AddOrleansConfigClient(configure);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new TestClient(host, description, log);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (Exception ex) when (
            ex is OperationCanceledException or SiloUnavailableException
                or Orleans.Runtime.Messaging.ConnectionFailedException or OrleansMessageRejectionException or TimeoutException)
        {
            // The cluster may be gone already; the client is left either way.
        }
        _host.Dispose();
    }
}
