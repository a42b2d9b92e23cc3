using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Subscribers;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>A one-silo TestCluster whose subscriber registry expires entries after <see cref="ExpireAfter"/>, and a way to add clients that can go away.</summary>
public sealed class SubscriberCluster : IAsyncLifetime
{
    public static readonly TimeSpan ExpireAfter = TimeSpan.FromSeconds(4);

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        // Real sockets: a second client connects to the gateway as another process would.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        TestClusterLogs.WriteToTemporaryFolder(builder);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Another client process of the cluster, as far as the silo can tell: its own connection and client id.</summary>
    public async Task<IHost> ConnectAnotherClientAsync()
    {
        var gateway = Cluster.Primary!.GatewayAddress!.Endpoint;
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering(gateway);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = Cluster.Options.ClusterId;
                    o.ServiceId = Cluster.Options.ServiceId;
                });
                client.AddOrleansConfigClient();
            })
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddOrleansConfigClient();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansConfig();
            siloBuilder.Services.Configure<SubscriberRegistryOptions>(o => o.ExpireAfter = ExpireAfter);
        }
    }
}
