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
         "Silo:AdvertisedHost",
         // The trust issue's keys (docs/deployment-security.md), bound by the silo's TLS and authorization settings.
         "OrleansConfig:Tls:CertificatePath", "OrleansConfig:Tls:KeyPath", "OrleansConfig:Tls:CaPath",
         "OrleansConfig:Authorization:Admins", "OrleansConfig:Authorization:Silos"],
        ("Orleans:Endpoints", typeof(EndpointOptions)),
        ("Orleans:Membership", typeof(ClusterMembershipOptions)),
        ("Orleans:Messaging", typeof(SiloMessagingOptions)),
        ("OrleansConfig", typeof(OrleansConfigSiloOptions)),
        ("Sources:File", typeof(FileSourceOptions)),
        ("Sources:Etcd", typeof(EtcdSourceOptions)));

    /// <summary>The keys the CLI reads from its environment.</summary>
    internal static readonly IReadOnlySet<string> CliKeys = Keys(
        ["Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:ProviderType", "Orleans:Clustering:ConnectionString",
            "ORLEANS_CONFIG_GATEWAY",
         "ORLEANS_CONFIG_TLS_CERT", "ORLEANS_CONFIG_TLS_KEY", "ORLEANS_CONFIG_TLS_CA"],
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
                Assert.True(File.Exists(Path.Combine(directory, service.Dockerfile)),
                    $"{service.Name}: {service.Dockerfile} does not exist in {directory}");
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
                Assert.True(File.Exists(Path.Combine(BuiltApps.RepoRoot, source))
                    || Directory.Exists(Path.Combine(BuiltApps.RepoRoot, source)), $"{path}: COPY {source}: not in the repository");
            }
        }
        var published = build.All("RUN").SelectMany(r => r.Split(' ')).Where(w => w.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p => Assert.True(File.Exists(Path.Combine(BuiltApps.RepoRoot, p)), $"{path}: {p} does not exist"));

        if (isSilo)
        {
            // Published ReadyToRun for the image's architecture, restored for it: the restart's figures assume it.
            Assert.Contains("TARGETARCH=amd64", build.All("ARG"));
            var publish = Assert.Single(build.All("RUN"), r => r.Contains("publish silo/", StringComparison.Ordinal));
            Assert.Contains("-a $TARGETARCH --self-contained false -p:PublishReadyToRun=true", publish);
            Assert.Contains(build.All("RUN"), r =>
                r.Contains("restore silo/OrleansConfig.Silo.csproj -a $TARGETARCH -p:PublishReadyToRun=true", StringComparison.Ordinal));
        }

        var user = Assert.Single(dockerfile.Final.All("USER"));
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        var entrypoint = Assert.Single(dockerfile.Final.All("ENTRYPOINT"));
        Assert.Contains(Path.GetFileName(isSilo ? BuiltApps.Silo : BuiltApps.Cli), entrypoint);

        var healthcheck = dockerfile.Final.All("HEALTHCHECK").SingleOrDefault();
        if (!isSilo) return;
        Assert.NotNull(healthcheck);
        // The health check asks the cluster through this silo's own gateway, with the CLI copied beside it.
        Assert.Contains(
            $"/app/cli/{Path.GetFileName(BuiltApps.Cli)} --gateway \"${{HOSTNAME}}:${{Orleans__Endpoints__GatewayPort}}\" sources",
            healthcheck);
        // With mutual TLS on, it shows the silo's own certificate (its SANs name the silo's host).
        Assert.Contains("ORLEANS_CONFIG_TLS_CERT=\"${OrleansConfig__Tls__CertificatePath:-}\"", healthcheck);
        Assert.Contains("ORLEANS_CONFIG_TLS_KEY=\"${OrleansConfig__Tls__KeyPath:-}\"", healthcheck);
        Assert.Contains("ORLEANS_CONFIG_TLS_CA=\"${OrleansConfig__Tls__CaPath:-}\"", healthcheck);
        Assert.Contains(dockerfile.Final.All("COPY"), c => c.EndsWith(" /app/cli", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_environment_key_is_one_the_silo_or_the_cli_reads()
    {
        var siloDefaults = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, "silo/Dockerfile")).Final.Env;
        Assert.All(siloDefaults.Keys, key => Assert.True(Reads(SiloKeys, key), $"silo/Dockerfile: ENV {key} is no key the silo reads"));
        foreach (var silo in Silos)
        {
            Assert.All(Compose.Services[silo].Environment.Keys, key =>
                Assert.True(Reads(SiloKeys, key), $"{silo}: {key} is no key the silo reads"));
        }
        Assert.All(Compose.Services["client"].Environment.Keys, key =>
            Assert.True(Reads(CliKeys, key), $"client: {key} is no key the CLI reads"));
    }

    [Fact]
    public void Ports_addresses_and_ids_agree_across_services()
    {
        var services = Compose.Services;
        var hostPorts = services.Values.SelectMany(s => s.Ports.Select(p => p.Host)).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());

        var siloImage = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, "silo/Dockerfile")).Final;
        var exposed =
            siloImage.All("EXPOSE").SelectMany(e => e.Split(' ')).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var name in Silos)
        {
            var silo = services[name].Configuration;
            int Port(string key) =>
                int.Parse(silo.GetValueOrDefault(key) ?? siloImage.Env[key.Replace(":", "__", StringComparison.Ordinal)],
                CultureInfo.InvariantCulture);
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
            Assert.Equal("https://etcd:2379", silo["Sources:Etcd:Endpoints"]);
            Assert.Equal("/app/examples", silo["Sources:File:Path"]);
            Assert.Contains("examples/ /app/examples/", siloImage.All("COPY"));
        }

        // One cluster: the same ids everywhere, one Redis the silos and the client find each other in.
        List<ComposeService> members = [.. Silos.Select(s => services[s]), services["client"]];
        foreach (var key in new[] { "Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:ConnectionString" })
        {
            Assert.Single(members.Select(m => m.Configuration[key]).Distinct());
        }
        var redis =
            members.SelectMany(m =>
            m.Configuration.Where(kv => kv.Key.EndsWith(":ConnectionString", StringComparison.Ordinal)).Select(kv => kv.Value)).Distinct();
        // The redis service, on Redis' own port (its command sets no other), with its password.
        Assert.Equal(["redis:6379,password=${REDIS_PASSWORD:-orleans-config-dev}"], redis);
        Assert.DoesNotContain("--port", services["redis"].Command);
        Assert.Contains("--listen-client-urls=https://0.0.0.0:2379", services["etcd"].Command);
        Assert.Equal(2379, Assert.Single(services["etcd"].Ports).Container);

        Assert.Equal(["watch", "services"], services["client"].Command);
        Assert.Equal(Silos, services["client"].DependsOn.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_published_port_listens_on_127_0_0_1_only()
    {
        var published = Compose.Services.Values.SelectMany(s => s.Ports.Select(p => (s.Name, Port: p))).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p =>
            Assert.True(p.Port.HostIp == "127.0.0.1",
            $"{p.Name}: port {p.Port.Host}:{p.Port.Container} is published on {p.Port.HostIp ?? "every address"}, not 127.0.0.1"));
        // Redis is for the silos and the client only.
        Assert.Empty(Compose.Services["redis"].Ports);
    }

    [Fact]
    public async Task Every_silo_has_mutual_tls_and_the_authorization_settings_from_certificates_make_certs_makes()
    {
        var made = Directory.CreateTempSubdirectory("oc-compose-certs-").FullName;
        try
        {
            await MakeCerts.MakeAsync(made);
            foreach (var name in Silos)
            {
                var silo = Compose.Services[name];
                var settings = silo.Configuration;
                Assert.Equal("/certs/silo.pem", settings["OrleansConfig:Tls:CertificatePath"]);
                Assert.Equal("/certs/silo-key.pem", settings["OrleansConfig:Tls:KeyPath"]);
                Assert.Equal("/certs/ca.pem", settings["OrleansConfig:Tls:CaPath"]);
                Assert.Equal("admin", settings["OrleansConfig:Authorization:Admins"]);
                Assert.Equal("writer-manual", settings["OrleansConfig:Authorization:Writers:manual"]);
                Assert.Equal("orleans-config-silo", settings["OrleansConfig:Authorization:Silos"]);
                // TLS is what lets a silo in a container listen beyond loopback: never the way around it.
                Assert.DoesNotContain("OrleansConfig:Insecure", settings.Keys);
                AssertMounted(silo, made,
                    settings.Where(kv =>
                    kv.Key.StartsWith("OrleansConfig:Tls:", StringComparison.Ordinal) || kv.Key.EndsWith("File", StringComparison.Ordinal))
                    .Select(kv => kv.Value));
                Assert.Equal(6, silo.Mounts.Count); // its own certificate and key, the CA, the etcd client's: nothing else
            }

            var client = Compose.Services["client"];
            Assert.Equal("/certs/reader.pem", client.Environment["ORLEANS_CONFIG_TLS_CERT"]);
            Assert.Equal("/certs/reader-key.pem", client.Environment["ORLEANS_CONFIG_TLS_KEY"]);
            Assert.Equal("/certs/ca.pem", client.Environment["ORLEANS_CONFIG_TLS_CA"]);
            AssertMounted(client, made,
                client.Environment.Where(kv => kv.Key.StartsWith("ORLEANS_CONFIG_TLS_", StringComparison.Ordinal)).Select(kv => kv.Value));
            Assert.Equal(3, client.Mounts.Count);

            // No container gets a CA's key: with it, anyone could mint an admin certificate.
            Assert.All(Compose.Services.Values.SelectMany(s => s.Mounts), m =>
                Assert.DoesNotContain("ca-key", m.Source, StringComparison.Ordinal));
            // The containers read 0600 keys as the user the keys belong to (the images' own user by default).
            Assert.All(Silos.Append("client"), s => Assert.Equal("${OC_UID:-1654}:${OC_GID:-1654}", Compose.Services[s].User));
        }
        finally
        {
            Directory.Delete(made, recursive: true);
        }
    }

    [Fact]
    public void Redis_asks_for_a_password_every_connection_string_gives_and_fsyncs_every_write()
    {
        var redis = Compose.Services["redis"];
        var password = redis.Command[redis.Command.ToList().IndexOf("--requirepass") + 1];
        Assert.Equal("${REDIS_PASSWORD:-orleans-config-dev}", password);
        var connections =
            Compose.Services.Values.SelectMany(s =>
            s.Configuration.Where(kv => kv.Key.EndsWith(":ConnectionString", StringComparison.Ordinal)).Select(kv => (s.Name, kv.Value)))
            .ToList();
        Assert.Equal(10, connections.Count); // each silo's clustering and two storages, the client's clustering
        Assert.All(connections, c =>
            Assert.True(c.Value.EndsWith($",password={password}", StringComparison.Ordinal),
            $"{c.Name}: \"{c.Value}\" gives no Redis password"));

        // Every accepted write is on disk before Redis answers: append-only, fsynced each time.
        Assert.Equal("yes", redis.Command[redis.Command.ToList().IndexOf("--appendonly") + 1]);
        Assert.Equal("always", redis.Command[redis.Command.ToList().IndexOf("--appendfsync") + 1]);
        // The health check authenticates (an unauthenticated PING is refused, so it would never be healthy).
        Assert.Equal(password, redis.Environment["REDISCLI_AUTH"]);
        Assert.Contains("redis-cli -a \"$$REDISCLI_AUTH\"", string.Join(' ', redis.Healthcheck));
    }

    [Fact]
    public async Task Etcd_requires_client_certificates_and_the_silos_etcd_source_presents_one()
    {
        var etcd = Compose.Services["etcd"];
        var flags =
            etcd.Command.Where(c => c.StartsWith("--", StringComparison.Ordinal)).Select(c => c.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        Assert.Contains("--client-cert-auth", flags.Keys);
        Assert.Equal("/certs/etcd-ca.pem", flags["--trusted-ca-file"]);
        Assert.Equal("/certs/etcd.pem", flags["--cert-file"]);
        Assert.Equal("/certs/etcd-key.pem", flags["--key-file"]);
        Assert.All(flags["--listen-client-urls"].Split(',').Concat(flags["--advertise-client-urls"].Split(',')), u =>
            Assert.StartsWith("https://", u, StringComparison.Ordinal));
        // Single member: its peer port listens inside the container only.
        Assert.StartsWith("http://127.0.0.1:", flags["--listen-peer-urls"], StringComparison.Ordinal);

        foreach (var name in Silos)
        {
            var settings = Compose.Services[name].Configuration;
            Assert.Equal("/certs/etcd-ca.pem", settings["Sources:Etcd:CaFile"]);
            Assert.Equal("/certs/etcd-client.pem", settings["Sources:Etcd:CertFile"]);
            Assert.Equal("/certs/etcd-client-key.pem", settings["Sources:Etcd:KeyFile"]);
        }
        var healthcheck = string.Join(' ', etcd.Healthcheck);
        Assert.Contains(
            "--endpoints=https://127.0.0.1:2379 --cacert=/certs/etcd-ca.pem --cert=/certs/etcd-client.pem " +
            "--key=/certs/etcd-client-key.pem endpoint health", healthcheck);

        var made = Directory.CreateTempSubdirectory("oc-compose-certs-").FullName;
        try
        {
            await MakeCerts.MakeAsync(made);
            AssertMounted(etcd, made,
                [.. flags.Where(f => f.Key.EndsWith("-file", StringComparison.Ordinal)).Select(f => f.Value), "/certs/etcd-client.pem",
                "/certs/etcd-client-key.pem"]);
        }
        finally
        {
            Directory.Delete(made, recursive: true);
        }
    }

    /// <summary>Each path is a read-only bind mount of the file of that name in the certificates directory, which
    /// make-certs.sh makes.</summary>
    private static void AssertMounted(ComposeService service, string made, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var mount = service.Mounts.SingleOrDefault(m => m.Target == path);
            Assert.True(mount is not null, $"{service.Name}: {path} is not mounted");
            Assert.True(mount.ReadOnly, $"{service.Name}: {path} is mounted writable");
            Assert.False(mount.CreatesHostPath, $"{service.Name}: a missing {mount.Source} would be made an empty directory");
            Assert.Equal($"${{OC_CERTS:-./certs}}/{Path.GetFileName(path)}", mount.Source);
            Assert.True(File.Exists(Path.Combine(made, Path.GetFileName(path))),
                $"{service.Name}: make-certs.sh makes no {Path.GetFileName(path)}");
        }
    }

    private static bool Reads(IReadOnlySet<string> keys, string environmentKey)
    {
        var key = environmentKey.Replace("__", ":", StringComparison.Ordinal);
        return keys.Contains(key) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("OrleansConfig:Authorization:Writers:", StringComparison.OrdinalIgnoreCase);
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
