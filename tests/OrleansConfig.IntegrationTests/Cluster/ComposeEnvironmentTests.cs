using System.Diagnostics;
using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Etcd;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// The compose file's environment, run for real: a silo process given silo1's environment (its hosts pointed at a
/// local redis-server with the compose file's password and an etcd that requires client certificates, its ports at
/// free ones, its certificates made by scripts/make-certs.sh) and the CLI given the client's, as the containers would be.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ComposeEnvironmentTests : IAsyncLifetime
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    private readonly RedisServer _redis = new() { Password = RedisPassword() };
    private readonly EtcdServer _etcd = new() { Tls = true };
    private readonly string _certificates = Directory.CreateTempSubdirectory("oc-compose-env-certs-").FullName;

    public async Task InitializeAsync()
    {
        await MakeCerts.MakeAsync(_certificates);
        await _redis.InitializeAsync();
        await _etcd.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _etcd.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_certificates, recursive: true);
    }

    [Fact]
    public async Task A_silo_and_a_client_given_the_compose_environment_run_on_redis_with_the_etcd_and_file_sources()
    {
        var compose = Compose;
        var ports = FreePorts.Take(2);
        var silo = Localize(compose.Services["silo1"].Environment);
        silo["Orleans__Endpoints__SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        silo["Orleans__Endpoints__GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _etcd.PutAsync(new EtcdValues("/registry/services").ServiceKey("default", "from-etcd"),
            EtcdValues.Service("from-etcd", "default"));

        using var process = ChildProcess.Start(BuiltApps.Silo, [], environment: silo);
        await process.ReadLineUntilAsync(l =>
            l.Contains($"clients connect to gateway 127.0.0.1:{ports[1]}", StringComparison.Ordinal), LoopbackCluster.StartTimeout);
        var setup =
            await process.ReadLineUntilAsync(l => l.Contains("Clustering:", StringComparison.Ordinal), LoopbackCluster.StartTimeout);
        Assert.Contains("Clustering: Redis; source state (Default storage): Redis; stream subscriptions (PubSubStore): Redis", setup);

        // The client container's environment finds the silo through Redis; both sources serve.
        var client = Localize(compose.Services["client"].Environment);
        var union = await Eventually.Get(
            async () => await Cli.RunAsync(["get", "services", "-o", "json"], environment: client),
            r => r.ExitCode == 0 && ListJson.Items(r.Stdout).Contains("Service default/from-etcd@etcd")
                && ListJson.Items(r.Stdout).Contains("Service default/web@file"),
            TimeSpan.FromSeconds(30),
            "the etcd and file sources to reach the union");
        Assert.Equal(0, union.ExitCode);

        // The image's health check command, with this machine's paths.
        var healthcheck = DockerfileText.Load(Path.Combine(BuiltApps.RepoRoot, "silo/Dockerfile")).Final.All("HEALTHCHECK").Single();
        var command = healthcheck[(healthcheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..]
            .Replace("dotnet /app/cli/orleans-config.dll", $"\"{BuiltApps.DotnetHost}\" \"{BuiltApps.Cli}\"", StringComparison.Ordinal);
        var check = new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var (key, value) in silo) check.Environment[key] = value;
        check.Environment["HOSTNAME"] = "localhost";
        using var health = Process.Start(check)!;
        var error = await health.StandardError.ReadToEndAsync();
        await health.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(health.ExitCode == 0, $"health check `{command}` exited {health.ExitCode}: {error}");

        process.Terminate();
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), process.Describe());
        _ = JsonDocument.Parse(union.Stdout);
    }

    /// <summary>The password the compose file gives Redis when REDIS_PASSWORD is unset.</summary>
    private static string RedisPassword()
    {
        var command = Compose.Services["redis"].Command;
        return ComposeFile.Interpolate(command[command.ToList().IndexOf("--requirepass") + 1]);
    }

    /// <summary>
    /// The compose network's names and mounted files, as this machine reaches the same servers and files: etcd's
    /// certificates are the test etcd's own (its CA, its client certificate), the others make-certs.sh's.
    /// </summary>
    private Dictionary<string, string> Localize(IReadOnlyDictionary<string, string> environment) =>
        environment.ToDictionary(kv => kv.Key, kv => ComposeFile.Interpolate(kv.Value) switch
        {
            var value when value == $"redis:6379,password={_redis.Password}" => _redis.ConnectionString,
            "https://etcd:2379" => _etcd.Endpoint,
            "/certs/etcd-ca.pem" => _etcd.Certificates!.CaFile,
            "/certs/etcd-client.pem" => _etcd.Certificates!.ClientCertFile,
            "/certs/etcd-client-key.pem" => _etcd.Certificates!.ClientKeyFile,
            var value when value.StartsWith("/certs/", StringComparison.Ordinal) => Path.Combine(_certificates, value["/certs/".Length..]),
            "/app/examples" => BuiltApps.Examples,
            _ when kv.Key == "Silo__AdvertisedHost" => "localhost",
            var value => value,
        });
}
