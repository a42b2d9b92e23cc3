using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>An Orleans client of the test's own to a silo process's gateway, to read the union straight from the grains.</summary>
internal sealed class GatewayClient(IHost host) : IAsyncDisposable
{
    public IClusterClient Client { get; } = host.Services.GetRequiredService<IClusterClient>();

    /// <param name="gateway"><c>127.0.0.1:PORT</c>, as <see cref="EndToEnd.SiloProcess.Gateway"/> has it.</param>
    /// <param name="configure">More client settings, e.g. TLS.</param>
    public static async Task<GatewayClient> ConnectAsync(string gateway, Action<IClientBuilder>? configure = null)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering(IPEndPoint.Parse(gateway));
                client.Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = "orleans-config");
                configure?.Invoke(client);
            })
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return new GatewayClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
