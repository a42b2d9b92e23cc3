using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// A change handler across a restart of the only silo: a new aggregator epoch, the in-memory union gone, the client
/// reconnected. The handler is told the difference (here: everything removed), then the changes after, and nothing twice.
/// </summary>
public sealed class SiloRestartChangeTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        TestClusterLogs.WriteToTemporaryFolder(builder);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_change_handler_is_told_the_difference_after_a_silo_restart_and_the_changes_after_it()
    {
        await using var config = new ServiceConfig(_cluster.Client, options: new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) });
        var model = new ChangeModel<Service>("r-");
        await config.RegisterHandler(model).WaitForSyncAsync();
        await _cluster.Client.GetSource("r-a").Apply(new ServiceUpdate(Operation.Add, [Service("before"), Service("kept", port: 81)]));
        await model.Sees("default/before@r-a:80", "default/kept@r-a:81");
        var epoch = config.Version.Epoch;

        await _cluster.RestartSiloAsync(_cluster.Primary!);
        await Eventually.Until(() => config.Version.Epoch != epoch, timeout: TimeSpan.FromSeconds(60), what: "the client to follow the new aggregator");
        // In-memory storage went with the silo: the new union is empty, and so is what the handler holds.
        await model.Sees();
        await Eventually.Get(() => _cluster.Client.GetSource("r-a").Apply(new ServiceUpdate(Operation.Add, [Service("after")])), r => r.Accepted, TimeSpan.FromSeconds(60), "a write to the restarted silo");
        await model.Sees("default/after@r-a:80");

        Assert.Empty(model.Violations);
        Assert.True(model.Calls >= 3, $"{model.Calls} calls");
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansConfig();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddOrleansConfigClient();
    }
}
