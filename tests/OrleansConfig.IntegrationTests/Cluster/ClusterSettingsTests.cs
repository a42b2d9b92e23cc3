using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>The multi-silo settings of the silo and the CLI: mistakes are named by their key, before anything starts.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterSettingsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static async Task<ChildProcess> RunSiloToExit(params string[] args)
    {
        var ports = FreePorts.Take(2);
        var silo =
            ChildProcess.Start(BuiltApps.Silo,
            [$"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=", .. args]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        return silo;
    }

    [Fact]
    public async Task Providers_other_than_redis_and_missing_connection_strings_stop_the_silo_naming_each_key()
    {
        using var silo = await RunSiloToExit(
            "--Orleans:Clustering:ProviderType=Consul",
            "--Orleans:GrainStorage:Default:ProviderType=Redis",
            "--Orleans:GrainStorage:PubSubStore:ConnectionString=redis:6379",
            "--Orleans:Endpoints:AdvertisedIPAddress=not-an-ip");

        Assert.Equal(1, silo.ExitCode);
        Assert.Equal(
        [
            "error: Orleans:Clustering:ProviderType: must be Redis (or unset, for localhost clustering), got \"Consul\"",
            "error: Orleans:GrainStorage:Default:ConnectionString: must be set to the Redis server, e.g. \"redis:6379\"",
            "error: Orleans:GrainStorage:PubSubStore:ProviderType: must be Redis when Orleans:GrainStorage:PubSubStore has settings " +
                "(remove the section for in-memory storage)",
            "error: Orleans:Endpoints:AdvertisedIPAddress: \"not-an-ip\" is not an IP address",
        ], silo.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Bad_membership_settings_stop_the_silo_naming_each_key()
    {
        using var silo = await RunSiloToExit(
            "--Orleans:Membership:ProbeTimeout=00:00:00", "--Orleans:Membership:NumVotesForDeathDeclaration=0",
            "--Orleans:Membership:IAmAliveTablePublishTimout=00:00:05");

        Assert.Equal(1, silo.ExitCode);
        var errors = silo.Stderr.Trim().Split('\n');
        Assert.Equal(3, errors.Length);
        Assert.StartsWith("error: Orleans:Membership:IAmAliveTablePublishTimout: unknown setting (Orleans' ClusterMembershipOptions has ",
            errors[0]);
        Assert.Equal("error: Orleans:Membership:NumVotesForDeathDeclaration: must be a whole number of at least 1, got \"0\"", errors[1]);
        Assert.Equal("error: Orleans:Membership:ProbeTimeout: must be a positive duration such as 00:00:05, got \"00:00:00\"", errors[2]);
    }

    [Fact]
    public async Task An_advertised_host_that_does_not_resolve_stops_the_silo_naming_the_key()
    {
        using var silo = await RunSiloToExit("--Silo:AdvertisedHost=no-such-host.invalid");

        Assert.Equal(1, silo.ExitCode);
        Assert.StartsWith("error: Silo:AdvertisedHost: cannot resolve \"no-such-host.invalid\"", silo.Stderr.Trim());
    }

    [Fact]
    public async Task A_silo_on_redis_advertises_the_address_its_host_name_resolves_to()
    {
        var ports = FreePorts.Take(2);
        var clusterId = $"oc-{Guid.NewGuid():N}"[..14];
        using var silo = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:ClusterId={clusterId}", $"--Orleans:ServiceId={clusterId}",
            "--Orleans:Clustering:ProviderType=Redis", $"--Orleans:Clustering:ConnectionString={redis.ConnectionString}",
            "--Orleans:GrainStorage:Default:ProviderType=Redis",
                $"--Orleans:GrainStorage:Default:ConnectionString={redis.ConnectionString}",
            "--Silo:AdvertisedHost=localhost",
            $"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=",
        ]);

        await silo.ReadLineUntilAsync(l =>
            l.Contains($"clients connect to gateway 127.0.0.1:{ports[1]}", StringComparison.Ordinal), LoopbackCluster.StartTimeout);
        var banner = await silo.ReadLineUntilAsync(l => l.Contains("Clustering:", StringComparison.Ordinal), LoopbackCluster.StartTimeout);
        Assert.Contains("Clustering: Redis; source state (Default storage): Redis; stream subscriptions (PubSubStore): memory", banner);

        // The CLI finds it through Redis by the same cluster id, through the environment as a container would.
        var environment = new Dictionary<string, string>
        {
            ["Orleans__Clustering__ProviderType"] = "Redis",
            ["Orleans__Clustering__ConnectionString"] = redis.ConnectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
        };
        var sources = await Cli.RunAsync(["sources"], environment: environment);
        Assert.True(sources.ExitCode == 0, sources.ToString());

        silo.Terminate();
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)), silo.Describe());
    }

    [Fact]
    public async Task The_cli_takes_gateways_or_redis_not_both()
    {
        var result = await Cli.RunAsync(["sources", "--gateway", "127.0.0.1:30000", "--redis", "127.0.0.1:6379"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --gateway and --redis: give one or the other", result.Stderr.Trim());
    }

    [Fact]
    public async Task The_cli_names_a_clustering_provider_it_does_not_know()
    {
        var result =
            await Cli.RunAsync(["sources"], environment: new Dictionary<string,
            string> { ["Orleans__Clustering__ProviderType"] = "Consul" });

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Orleans:Clustering:ProviderType: must be Redis (or unset, to use gateways), got \"Consul\"",
            result.Stderr.Trim());
    }

    [Fact]
    public async Task The_cli_reports_a_redis_with_no_cluster_as_unreachable()
    {
        var result = await Cli.RunAsync(["sources", "--redis", redis.ConnectionString, "--cluster-id", "nobody-here"]);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the cluster at the gateways registered in Redis at {redis.ConnectionString}:",
            result.Stderr.Trim());
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
