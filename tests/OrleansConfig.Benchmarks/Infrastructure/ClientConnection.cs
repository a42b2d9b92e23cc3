using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>A cluster client of its own (its own connection) to one gateway.</summary>
internal sealed class ClientConnection(IHost host) : IAsyncDisposable
{
    public IClusterClient Client { get; } = host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClientConnection> Connect(IPEndPoint gateway, string clusterId, string serviceId, BenchTls? tls = null)
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
                tls?.ConfigureClient(client);
                client.AddOrleansConfigClient();
            })
            .Build();
        await host.StartAsync();
        return new ClientConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
