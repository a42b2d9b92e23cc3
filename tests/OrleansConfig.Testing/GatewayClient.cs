using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansConfig.Testing;

/// <summary>An Orleans client of the caller's own (its own connection) to one gateway.</summary>
public sealed class GatewayClient(IHost host) : IAsyncDisposable
{
    public IClusterClient Client { get; } = host.Services.GetRequiredService<IClusterClient>();

    /// <summary>To a silo process of the default cluster id; the start gives up after 30 s.</summary>
    /// <param name="gateway"><c>127.0.0.1:PORT</c>, as a silo process gives it.</param>
    /// <param name="configure">More client settings, e.g. TLS.</param>
    public static Task<GatewayClient> ConnectAsync(string gateway, Action<IClientBuilder>? configure = null) =>
        ConnectAsync(IPEndPoint.Parse(gateway), "orleans-config", "orleans-config", configure, TimeSpan.FromSeconds(30));

    /// <param name="startTimeout">How long the start may take; without one, as long as it takes.</param>
    public static async Task<GatewayClient> ConnectAsync(
        IPEndPoint gateway, string clusterId, string serviceId, Action<IClientBuilder>? configure = null, TimeSpan? startTimeout = null)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering(gateway);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
                configure?.Invoke(client);
            })
            .Build();
        using var timeout = new CancellationTokenSource(startTimeout ?? Timeout.InfiniteTimeSpan);
        await host.StartAsync(timeout.Token);
        return new GatewayClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
