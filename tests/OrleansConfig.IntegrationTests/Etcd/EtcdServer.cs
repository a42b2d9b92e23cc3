using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>
/// A real single-member etcd on free loopback ports with its own data directory. It can be killed and
/// started again on the same ports and data. A missing binary fails the test: it is never skipped.
/// </summary>
public sealed class EtcdServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ServerProcess? _process;
    private EtcdClient? _client;
    private HttpClient? _http;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"orleansconfig-etcd-{Guid.NewGuid():N}");

    public EtcdServer() => PickPorts();

    public int ClientPort { get; private set; }

    public int PeerPort { get; private set; }

    /// <summary>Serve clients over TLS only, requiring a client certificate from <see cref="Certificates"/>' CA.</summary>
    public bool Tls { get; init; }

    internal TestCertificates? Certificates { get; private set; }

    /// <summary>etcd's <c>--max-request-bytes</c> (unset: etcd's default, 1.5 MiB): the largest value it takes.</summary>
    public int? MaxRequestBytes { get; init; }

    public string Endpoint => $"{(Tls ? "https" : "http")}://127.0.0.1:{ClientPort}";

    /// <summary>A client for the test's own writes (recreated at each start).</summary>
    public EtcdClient Client => _client ?? throw new InvalidOperationException("etcd is not running");

    public async Task InitializeAsync()
    {
        // A free port found by binding and releasing it can be taken by another process before etcd binds it:
        // on a first start only, pick new ports and try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && Log.Contains("address already in use", StringComparison.Ordinal))
            {
                await KillAsync();
                PickPorts();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        foreach (var directory in new[] { DataDirectory, DataDirectory + "-tls" })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    public async Task StartAsync()
    {
        var peer = $"http://127.0.0.1:{PeerPort}";
        List<string> args =
        [
            "--name", "default", "--data-dir", DataDirectory,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"default={peer}", "--log-level", "warn",
        ];
        if (MaxRequestBytes is { } max)
        {
            args.AddRange(["--max-request-bytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (Tls)
        {
            Certificates ??= TestCertificates.Create(DataDirectory + "-tls");
            args.AddRange(["--cert-file", Certificates.ServerCertFile, "--key-file", Certificates.ServerKeyFile,
                "--trusted-ca-file", Certificates.CaFile, "--client-cert-auth"]);
        }
        _http = NewHttpClient();
        _process = ServerProcess.Start(FindExecutable("etcd"), args);
        await _process.WaitUntilReady(IsHealthy, "etcd", "not healthy", StartTimeout);
        _client = Certificates is { } tls && Tls
            ? new EtcdClient(Endpoint, ssl =>
            {
                ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(tls.ClientCertFile, tls.ClientKeyFile)];
                // The test server's certificate is made for the test and names no host this client dials.
#pragma warning disable CA5359
                ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            })
            : new EtcdClient(Endpoint);
    }

    /// <summary>Kills etcd (its process tree) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        _client?.Dispose();
        _client = null;
        _http?.Dispose();
        _http = null;
        if (_process is not { } process) return;
        _process = null;
        await process.DisposeAsync();
    }

    public async Task<long> PutAsync(string key, string value) => (await Client.PutAsync(key, value)).Header.Revision;

    public async Task<long> DeleteAsync(string key) => (await Client.DeleteAsync(key)).Header.Revision;

    /// <summary>Compacts (physically) everything before the current revision.</summary>
    public async Task<long> CompactAsync()
    {
        var revision = (await Client.StatusAsync(new StatusRequest())).Header.Revision;
        await Client.CompactAsync(new CompactionRequest { Revision = revision, Physical = true });
        return revision;
    }

    /// <summary>Runs <c>etcdctl</c> against this server (an independent writer), returning its output.</summary>
    public async Task<string> EtcdctlAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo(FindExecutable("etcdctl"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add($"--endpoints={Endpoint}");
        if (Tls && Certificates is { } tls)
        {
            start.ArgumentList.Add($"--cacert={tls.CaFile}");
            start.ArgumentList.Add($"--cert={tls.ClientCertFile}");
            start.ArgumentList.Add($"--key={tls.ClientKeyFile}");
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcdctl {string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        }
        return await output;
    }

    public string Log => _process?.Log ?? "";

    private async Task<bool> IsHealthy()
    {
        try
        {
            var body = await _http!.GetStringAsync($"{Endpoint}/health");
            return body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private HttpClient NewHttpClient()
    {
        var handler = new HttpClientHandler();
        if (Tls && Certificates is { } tls)
        {
            handler.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(tls.ClientCertFile, tls.ClientKeyFile));
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
    }

    private static string FindExecutable(string name) => ServerProcess.Find(name,
        "the etcd tests need a real etcd. Install Debian's etcd-server and etcd-client (scripts/test.sh does), then run the tests again.");

    // Taken together, so the client and peer ports are never the same one.
    private void PickPorts()
    {
        var ports = FreePorts.Take(2);
        (ClientPort, PeerPort) = (ports[0], ports[1]);
    }
}
