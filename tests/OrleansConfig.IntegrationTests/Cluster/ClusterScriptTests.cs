using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Etcd;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>scripts/cluster-up.sh and cluster-down.sh, run as a person would, on free ports and a state directory of
/// the test's own.</summary>
[Collection(MultiSiloCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterScriptTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private readonly string _state = Directory.CreateTempSubdirectory("oc-cluster-up-").FullName;
    private readonly string _clusterId = $"oc-{Guid.NewGuid():N}"[..14];
    private readonly string _redisPassword = $"pw-{Guid.NewGuid():N}";

    public void Dispose()
    {
        // Whatever the test did, nothing it started outlives it.
        var pids = Path.Combine(_state, "pids");
        if (File.Exists(pids))
        {
            foreach (var pid in File.ReadAllLines(pids).Select(l => l.Split(' ')[^1]))
            {
                using var kill =
                    Process.Start(
                    new ProcessStartInfo("kill", ["-KILL", "--", $"-{pid}"]) { UseShellExecute = false, RedirectStandardError = true });
                kill?.WaitForExit(5000);
            }
        }
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Cluster_up_starts_redis_etcd_three_silos_and_a_watching_client_and_cluster_down_stops_them_all()
    {
        var ports = FreePorts.Take(9);
        var environment = new Dictionary<string, string>
        {
            ["OC_STATE_DIR"] = _state,
            ["OC_CLUSTER_ID"] = _clusterId,
            ["OC_REDIS_PORT"] = Text(ports[0]),
            ["OC_ETCD_PORT"] = Text(ports[1]),
            ["OC_ETCD_PEER_PORT"] = Text(ports[2]),
            ["OC_SILO_PORTS"] = string.Join(' ', ports[3..6].Select(Text)),
            ["OC_GATEWAY_PORTS"] = string.Join(' ', ports[6..9].Select(Text)),
            ["OC_REDIS_PASSWORD"] = _redisPassword,
            ["OC_SILO_DLL"] = BuiltApps.Silo,
            ["OC_CLI_DLL"] = BuiltApps.Cli,
            ["DOTNET"] = BuiltApps.DotnetHost,
        };

        var clock = Stopwatch.StartNew();
        var up = await RunScript("cluster-up.sh", environment);
        Assert.True(up.ExitCode == 0, up.Text);
        Assert.Contains($"OrleansConfig cluster \"{_clusterId}\" is up on 127.0.0.1:", up.Text);
        Assert.Contains($"gateway {ports[8]}", up.Text);
        output.WriteLine($"cluster-up.sh took {clock.Elapsed.TotalSeconds:0.0} s");
        string[] pids = [.. File.ReadAllLines(Path.Combine(_state, "pids")).Select(l => l.Split(' ')[^1])];
        Assert.Equal(6, pids.Length); // redis, etcd, three silos, the client

        // make-certs.sh made the certificates into the state directory, and each process got its own.
        var certs = Path.Combine(_state, "certs");
        Assert.All(MakeCerts.Certificates, c =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(certs, $"{c}-key.pem"))));
        Assert.Equal(Path.Combine(certs, "silo.pem"), ProcessEnvironment(pids[2]).GetValueOrDefault("OrleansConfig__Tls__CertificatePath"));
        Assert.Equal(Path.Combine(certs, "reader.pem"), ProcessEnvironment(pids[5]).GetValueOrDefault("ORLEANS_CONFIG_TLS_CERT"));
        Assert.Equal($"127.0.0.1:{ports[0]},password={_redisPassword}",
            ProcessEnvironment(pids[2]).GetValueOrDefault("Orleans__GrainStorage__Default__ConnectionString"));

        // Redis refuses a client without the password; etcd one without a certificate from its CA.
        Assert.StartsWith("-NOAUTH", await RedisReply(ports[0], "PING"), StringComparison.Ordinal);
        using (var stranger = EtcdClientWith(ports[1], Path.Combine(certs, "reader.pem"), Path.Combine(certs, "reader-key.pem")))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await Assert.ThrowsAnyAsync<Exception>(() =>
                stranger.PutAsync("/registry/services/specs/default/stranger", "{}", cancellationToken: timeout.Token));
        }

        // `get services` through each silo's gateway, and through Redis: the examples the silos' file source serves. The
        // gateways take only clients with a certificate of the cluster's CA: the reader's, as the watching client has.
        string[] reader =
            ["--tls-cert", Path.Combine(certs, "reader.pem"), "--tls-key", Path.Combine(certs, "reader-key.pem"), "--tls-ca",
            Path.Combine(certs, "ca.pem")];
        var refused =
            await Cli.RunAsync(
            ["get", "services", "--gateway", $"127.0.0.1:{ports[6]}", "--cluster-id", _clusterId, "--service-id", _clusterId]);
        Assert.True(refused.ExitCode == 3 && refused.Stderr.Contains("TLS refused the connection", StringComparison.Ordinal),
            refused.ToString());
        var examples =
            new[] { "Service default/db@file", "Service default/web@file", "Service shop/cart@file", "Service shop/frontend@file",
            "Service shop/payments@file" };
        foreach (var gateway in ports[6..9])
        {
            var get = await Eventually.Get(
                () => Cli.RunAsync(
                    ["get", "services", "-o", "json", "--gateway", $"127.0.0.1:{gateway}", "--cluster-id", _clusterId, "--service-id",
                    _clusterId, .. reader]),
                r => r.ExitCode == 0 && ListJson.Items(r.Stdout).SequenceEqual(examples), TimeSpan.FromSeconds(30),
                    $"get services through gateway {gateway}");
            Assert.Equal(examples, ListJson.Items(get.Stdout));
        }

        // The etcd source runs too, and the watching client shows what it adds.
        using (var etcd = EtcdClientWith(ports[1], Path.Combine(certs, "etcd-client.pem"), Path.Combine(certs, "etcd-client-key.pem")))
        {
            await etcd.PutAsync(new EtcdValues("/registry/services").ServiceKey("default", "from-etcd"),
                EtcdValues.Service("from-etcd", "default"));
        }
        var viaRedis = await Eventually.Get(
            () => Cli.RunAsync(
                ["get", "services", "-o", "json", "--redis", $"127.0.0.1:{ports[0]},password={_redisPassword}", "--cluster-id", _clusterId,
                "--service-id", _clusterId, .. reader]),
            r => r.ExitCode == 0 && ListJson.Items(r.Stdout).Contains("Service default/from-etcd@etcd"), TimeSpan.FromSeconds(30),
                "the etcd item in the union");
        Assert.Equal(examples.Append("Service default/from-etcd@etcd").Order(StringComparer.Ordinal), ListJson.Items(viaRedis.Stdout));
        var clientLog = Path.Combine(_state, "client.log");
        await Eventually.Until(() =>
            File.ReadAllText(clientLog).Contains("from-etcd", StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(30), what:
            "the watching client to show the etcd item");

        var down = await RunScript("cluster-down.sh", environment);
        Assert.True(down.ExitCode == 0, down.Text);
        Assert.All(pids, pid => Assert.False(Alive(pid), $"pid {pid} still runs after cluster-down.sh:\n{down.Text}"));
        Assert.False(File.Exists(Path.Combine(_state, "pids")));
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A client of the script's etcd showing the given certificate (and trusting etcd's own CA).</summary>
    private EtcdClient EtcdClientWith(int port, string certFile, string keyFile)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_state, "certs", "etcd-ca.pem"));
        return new EtcdClient($"https://127.0.0.1:{port}", ssl =>
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certFile, keyFile)];
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is X509Certificate2 cert && chain.Build(cert);
            };
        });
    }

    private static async Task<string> RedisReply(int port, string command)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    /// <summary>A running process's environment, as /proc shows it to its owner.</summary>
    private static Dictionary<string, string> ProcessEnvironment(string pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    private static bool Alive(string pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Text)> RunScript(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(BuiltApps.RepoRoot, "scripts", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var key in start.Environment.Keys.Where(k =>
            k.StartsWith("ORLEANS", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Sources__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("OC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        // The script's background processes keep no handle on these pipes (their output goes to log files).
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {ScriptTimeout}");
        }
        return (process.ExitCode, $"exit {process.ExitCode}\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
    }
}
