using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Validation;

namespace OrleansConfig.IntegrationTests.ServiceDiscovery;

/// <summary>
/// A one-silo TestCluster that admits loopback endpoint addresses, as the standalone silo does by default: the
/// discovery tests' backends listen on 127.0.0.1, which the shared cluster refuses (its hostile-input tests need that).
/// </summary>
public sealed class DiscoveryClusterFixture : IAsyncLifetime
{
    private int _counter;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>A name prefix no other test of the collection uses.</summary>
    public string NewPrefix() => $"d{Interlocked.Increment(ref _counter)}-";

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
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

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansConfig();
            siloBuilder.Services.Configure<ValidationOptions>(o => o.AllowSpecialAddresses = true);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddOrleansConfigClient();
    }
}

[CollectionDefinition(Name)]
public sealed class DiscoveryClusterCollection : ICollectionFixture<DiscoveryClusterFixture>
{
    public const string Name = "discovery";
}
