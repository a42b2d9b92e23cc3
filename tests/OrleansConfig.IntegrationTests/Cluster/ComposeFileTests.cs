using System.Globalization;
using System.Reflection;
using Orleans.Configuration;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.Sources.File;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// docker-compose.yml and the Dockerfiles, checked without Docker: what they name exists, the environment holds only
/// keys the silo or the CLI reads, and ports, addresses and ids agree.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];
    private static readonly ComposeFile Compose = ComposeFile.Load();

    /// <summary>The keys the silo reads: Orleans' own (those it binds, by their options' properties) and ours.</summary>
    internal static readonly IReadOnlySet<string> SiloKeys = Keys(
        ["Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:ProviderType", "Orleans:Clustering:ConnectionString",
         "Orleans:GrainStorage:Default:ProviderType", "Orleans:GrainStorage:Default:ConnectionString",
         "Orleans:GrainStorage:PubSubStore:ProviderType", "Orleans:GrainStorage:PubSubStore:ConnectionString",
         "Silo:AdvertisedHost"],
        ("Orleans:Endpoints", typeof(EndpointOptions)),
        ("Orleans:Membership", typeof(ClusterMembershipOptions)),
        ("Orleans:Messaging", typeof(SiloMessagingOptions)),
        ("OrleansConfig", typeof(OrleansConfigSiloOptions)),
        ("Sources:File", typeof(FileSourceOptions)),
        ("Sources:Etcd", typeof(EtcdSourceOptions)));

    /// <summary>The keys the CLI reads from its environment.</summary>
    internal static readonly IReadOnlySet<string> CliKeys = Keys(
        ["Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:ProviderType", "Orleans:Clustering:ConnectionString", "ORLEANS_CONFIG_GATEWAY"],
        ("Orleans:Messaging", typeof(ClientMessagingOptions)),
        ("Orleans:Gateway", typeof(GatewayOptions)));

    [Fact]
    public void Every_service_has_an_image_or_a_build_whose_context_and_dockerfile_exist()
    {
        Assert.Equal(["client", "etcd", "redis", "silo1", "silo2", "silo3"], Compose.Services.Keys.Order(StringComparer.Ordinal));
        foreach (var service in Compose.Services.Values)
        {
            Assert.True(service.Image is not null || service.BuildContext is not null, $"{service.Name}: neither image nor build");
            if (service.BuildContext is { } context)
            {
                var directory = Path.GetFullPath(Path.Combine(Compose.Directory, context));
                Assert.True(Directory.Exists(directory), $"{service.Name}: build context {directory} does not exist");
                Assert.NotNull(service.Dockerfile);
                Assert.True(File.Exists(Path.Combine(directory, service.Dockerfile)), $"{service.Name}: {service.Dockerfile} does not exist in {directory}");
            }
            else
            {
                Assert.Matches(@"^[a-z0-9./-]+:v?[0-9][\w.-]*$", service.Image!); // a pinned version, not "latest"
            }
        }
        Assert.All(Silos, s => Assert.Equal("silo/Dockerfile", Compose.Services[s].Dockerfile));
        Assert.Equal("client/Dockerfile", Compose.Services["client"].Dockerfile);
    }

    [Theory]
    [InlineData("silo/Dockerfile", true)]
    [InlineData("client/Dockerfile", false)]
    public void A_dockerfile_builds_with_the_sdk_runs_on_the_runtime_as_a_non_root_user(string path, bool isSilo)
    {
        var dockerfile = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, path));

        Assert.True(dockerfile.Stages.Count >= 2, $"{path}: one stage");
        var build = dockerfile.Stages[0];
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.Image);
        Assert.NotNull(build.Alias);
        // The silo runs on ASP.NET's runtime: it serves HTTP when given --urls.
        Assert.Equal(isSilo ? "mcr.microsoft.com/dotnet/aspnet:10.0" : "mcr.microsoft.com/dotnet/runtime:10.0", dockerfile.Final.Image);
        Assert.Contains(dockerfile.Final.All("COPY"), c => c.StartsWith($"--from={build.Alias} ", StringComparison.Ordinal));

        // Every file the build copies from the context, and every project it publishes, exists.
        foreach (var copy in dockerfile.Stages.SelectMany(s => s.All("COPY")).Where(c => !c.StartsWith("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            {
                Assert.True(File.Exists(Path.Combine(BuiltApps.RepoRoot, source)) || Directory.Exists(Path.Combine(BuiltApps.RepoRoot, source)), $"{path}: COPY {source}: not in the repository");
            }
        }
        var published = build.All("RUN").SelectMany(r => r.Split(' ')).Where(w => w.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p => Assert.True(File.Exists(Path.Combine(BuiltApps.RepoRoot, p)), $"{path}: {p} does not exist"));

        var user = Assert.Single(dockerfile.Final.All("USER"));
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        var entrypoint = Assert.Single(dockerfile.Final.All("ENTRYPOINT"));
        Assert.Contains(Path.GetFileName(isSilo ? BuiltApps.Silo : BuiltApps.Cli), entrypoint);

        var healthcheck = dockerfile.Final.All("HEALTHCHECK").SingleOrDefault();
        if (!isSilo) return;
        Assert.NotNull(healthcheck);
        // The health check asks the cluster through this silo's own gateway, with the CLI copied beside it.
        Assert.Contains($"/app/cli/{Path.GetFileName(BuiltApps.Cli)} --gateway \"${{HOSTNAME}}:${{Orleans__Endpoints__GatewayPort}}\" sources", healthcheck);
        Assert.Contains(dockerfile.Final.All("COPY"), c => c.EndsWith(" /app/cli", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_environment_key_is_one_the_silo_or_the_cli_reads()
    {
        var siloDefaults = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, "silo/Dockerfile")).Final.Env;
        Assert.All(siloDefaults.Keys, key => Assert.True(Reads(SiloKeys, key), $"silo/Dockerfile: ENV {key} is no key the silo reads"));
        foreach (var silo in Silos)
        {
            Assert.All(Compose.Services[silo].Environment.Keys, key => Assert.True(Reads(SiloKeys, key), $"{silo}: {key} is no key the silo reads"));
        }
        Assert.All(Compose.Services["client"].Environment.Keys, key => Assert.True(Reads(CliKeys, key), $"client: {key} is no key the CLI reads"));
    }

    [Fact]
    public void Ports_addresses_and_ids_agree_across_services()
    {
        var services = Compose.Services;
        var hostPorts = services.Values.SelectMany(s => s.Ports.Select(p => p.Host)).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());

        var siloImage = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, "silo/Dockerfile")).Final;
        var exposed = siloImage.All("EXPOSE").SelectMany(e => e.Split(' ')).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var name in Silos)
        {
            var silo = services[name].Configuration;
            int Port(string key) => int.Parse(silo.GetValueOrDefault(key) ?? siloImage.Env[key.Replace(":", "__", StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var gateway = Port("Orleans:Endpoints:GatewayPort");
            Assert.Contains(gateway, exposed);
            Assert.Contains(Port("Orleans:Endpoints:SiloPort"), exposed);
            Assert.All(services[name].Ports, p => Assert.Equal(gateway, p.Container));

            // Each silo advertises its own address: its own host name.
            Assert.Equal(name, services[name].Hostname);
            Assert.Equal(name, silo["Silo:AdvertisedHost"]);

            Assert.Equal("Redis", silo["Orleans:Clustering:ProviderType"]);
            Assert.Equal("Redis", silo["Orleans:GrainStorage:Default:ProviderType"]);
            Assert.Equal("Redis", silo["Orleans:GrainStorage:PubSubStore:ProviderType"]);
            Assert.Equal("http://etcd:2379", silo["Sources:Etcd:Endpoints"]);
            Assert.Equal("/app/examples", silo["Sources:File:Path"]);
            Assert.Contains("examples/ /app/examples/", siloImage.All("COPY"));
        }

        // One cluster: the same ids everywhere, one Redis the silos and the client find each other in.
        List<ComposeService> members = [.. Silos.Select(s => services[s]), services["client"]];
        foreach (var key in new[] { "Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:ConnectionString" })
        {
            Assert.Single(members.Select(m => m.Configuration[key]).Distinct());
        }
        var redis = members.SelectMany(m => m.Configuration.Where(kv => kv.Key.EndsWith(":ConnectionString", StringComparison.Ordinal)).Select(kv => kv.Value)).Distinct();
        Assert.Equal(["redis:6379"], redis); // the redis service, on Redis' own port (its command sets no other)
        Assert.DoesNotContain("--port", services["redis"].Command);
        Assert.Contains("--listen-client-urls=http://0.0.0.0:2379", services["etcd"].Command);
        Assert.Equal(2379, Assert.Single(services["etcd"].Ports).Container);

        Assert.Equal(["watch", "services"], services["client"].Command);
        Assert.Equal(Silos, services["client"].DependsOn.Order(StringComparer.Ordinal));
    }

    private static bool Reads(IReadOnlySet<string> keys, string environmentKey)
    {
        var key = environmentKey.Replace("__", ":", StringComparison.Ordinal);
        return keys.Contains(key) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase);
    }

    private static HashSet<string> Keys(string[] plain, params (string Section, Type Options)[] bound)
    {
        var keys = new HashSet<string>(plain, StringComparer.OrdinalIgnoreCase);
        foreach (var (section, options) in bound)
        {
            foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                keys.Add($"{section}:{property.Name}");
            }
        }
        return keys;
    }
}
