using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Cluster;

// Separate from SiloProcess and InProcessCluster: several silo processes that must find each other through Redis and die by SIGKILL.
/// <summary>
/// Silo processes (the built silo) forming one cluster on loopback through a real Redis: Redis clustering,
/// source state in Redis (<c>Default</c>) and stream subscriptions in Redis (<c>PubSubStore</c>). Every silo
/// is killed (SIGKILL, its process tree) when the cluster is disposed, whatever happened in the test.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Failure detection tuned for tests: a silo probes the others every second and suspects one after three
    /// missed probes; two suspicions (the default votes) declare it dead. Calls between silos wait at most 10 s
    /// for a reply (default 30 s); calls to a silo declared dead fail at once anyway.
    /// </summary>
    public static readonly IReadOnlyList<string> FailureDetection =
    [
        "--Orleans:Messaging:ResponseTimeout=00:00:10",
        "--Orleans:Membership:ProbeTimeout=00:00:01",
        "--Orleans:Membership:NumMissedProbesLimit=3",
        "--Orleans:Membership:NumVotesForDeathDeclaration=2",
        "--Orleans:Membership:TableRefreshTimeout=00:00:02",
        "--Orleans:Membership:IAmAliveTablePublishTimeout=00:00:05",
    ];

    private readonly Node[] _nodes;
    private readonly IReadOnlyList<string> _extraArgs;
    private readonly Dictionary<int, List<string>> _siloArgs = [];
    private readonly string _siloDll;

    /// <param name="siloDll">The silo to run; the built one (<see cref="BuiltApps.Silo"/>) when null.</param>
    public LoopbackCluster(RedisServer redis, int silos, IReadOnlyList<string>? extraArgs = null, string? siloDll = null)
    {
        Redis = redis;
        _extraArgs = extraArgs ?? [];
        _siloDll = siloDll ?? BuiltApps.Silo;
        var ports = FreePorts.Take(2 * silos);
        _nodes = [.. Enumerable.Range(0, silos).Select(i => new Node(i, ports[2 * i], ports[2 * i + 1]))];
    }

    public RedisServer Redis { get; }

    /// <summary>A cluster (and service) id of its own, so clusters of different tests never meet in one Redis.</summary>
    public string ClusterId { get; } = $"oc-{Guid.NewGuid():N}"[..14];

    public int Count => _nodes.Length;

    public IPEndPoint Gateway(int silo) => new(IPAddress.Loopback, _nodes[silo].GatewayPort);

    public int SiloPort(int silo) => _nodes[silo].SiloPort;

    public bool IsRunning(int silo) => _nodes[silo].Process is { HasExited: false };

    /// <summary>The process id of silo <paramref name="silo"/>'s current process (e.g. to measure its CPU).</summary>
    public int ProcessId(int silo) => _nodes[silo].Process?.Id ?? throw new InvalidOperationException($"silo {silo} is not running");

    /// <summary>The arguments silo <paramref name="silo"/> runs with: the Orleans keys the README documents.</summary>
    public IReadOnlyList<string> SiloArgs(int silo) =>
    [
        $"--Orleans:ClusterId={ClusterId}",
        $"--Orleans:ServiceId={ClusterId}",
        "--Orleans:Clustering:ProviderType=Redis",
        $"--Orleans:Clustering:ConnectionString={Redis.ConnectionString}",
        "--Orleans:GrainStorage:Default:ProviderType=Redis",
        $"--Orleans:GrainStorage:Default:ConnectionString={Redis.ConnectionString}",
        "--Orleans:GrainStorage:PubSubStore:ProviderType=Redis",
        $"--Orleans:GrainStorage:PubSubStore:ConnectionString={Redis.ConnectionString}",
        "--Orleans:Endpoints:AdvertisedIPAddress=127.0.0.1",
        $"--Orleans:Endpoints:SiloPort={_nodes[silo].SiloPort}",
        $"--Orleans:Endpoints:GatewayPort={_nodes[silo].GatewayPort}",
        "--Sources:File:Path=",
        // Thousands of changes: keep the silos' own per-change lines out of the way.
        "--Logging:LogLevel:OrleansConfig=Warning",
        .. FailureDetection,
        .. _extraArgs,
        .. _siloArgs.GetValueOrDefault(silo) ?? [],
    ];

    /// <summary>Adds arguments for silo <paramref name="silo"/> alone, from its next start on; they come last, so they win.</summary>
    public void AddSiloArgs(int silo, params string[] args)
    {
        if (!_siloArgs.TryGetValue(silo, out var list)) _siloArgs[silo] = list = [];
        list.AddRange(args);
    }

    public async Task StartAllAsync()
    {
        // The first silo creates the membership table; the others join it.
        await StartAsync(0);
        await Task.WhenAll(Enumerable.Range(1, Count - 1).Select(StartAsync));
    }

    /// <summary>Starts silo <paramref name="silo"/> (again) on its ports and waits until its host has started.</summary>
    public async Task StartAsync(int silo)
    {
        var node = _nodes[silo];
        if (node.Process is { HasExited: false }) throw new InvalidOperationException($"silo {silo} is running");
        node.Retire();
        var process = ChildProcess.Start(_siloDll, SiloArgs(silo));
        node.Process = process;
        try
        {
            await process.ReadLineUntilAsync(line => line.Contains("Application started", StringComparison.Ordinal), StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"silo {silo} did not start within {StartTimeout}:\n{Tail(process)}");
        }
    }

    /// <summary>SIGKILL: no goodbye to the cluster, as when a machine dies.</summary>
    public async Task KillAsync(int silo)
    {
        var process = _nodes[silo].Process ?? throw new InvalidOperationException($"silo {silo} never started");
        await SignalAsync(process, "KILL");
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(10))) throw new TimeoutException($"silo {silo} still runs after SIGKILL");
    }

    /// <summary>SIGSTOP: the silo hangs, its connections stay open and take in messages it never answers (KillAsync
    /// still ends it).</summary>
    public Task FreezeAsync(int silo) =>
        SignalAsync(_nodes[silo].Process ?? throw new InvalidOperationException($"silo {silo} never started"), "STOP");

    private static async Task SignalAsync(ChildProcess process, string signal)
    {
        using var kill =
            Process.Start(
            new ProcessStartInfo("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        await kill!.WaitForExitAsync();
    }

    /// <summary>Which silo (by index) listens on <paramref name="address"/>'s silo port.</summary>
    public int IndexOf(SiloAddress address) =>
        Array.FindIndex(_nodes, n => n.SiloPort == address.Endpoint.Port) is var index and >= 0
            ? index
            : throw new InvalidOperationException($"{address} is none of this cluster's silos");

    /// <summary>The last lines of every silo's output (current and earlier runs), for failure messages.</summary>
    public string Describe(int lines = 80) =>
        string.Join("\n",
            _nodes.Select(n => $"=== silo {n.Index} (silo port {n.SiloPort}, gateway {n.GatewayPort}) ===\n{n.Describe(lines)}"));

    public ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) node.Retire();
        return ValueTask.CompletedTask;
    }

    internal static string Tail(ChildProcess process, int lines = 80)
    {
        static string Last(string text, int count) => string.Join('\n', text.Split('\n').TakeLast(count));
        return $"exit {(process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "(running)")}\n" +
               $"--- stdout (last {lines} lines) ---\n{Last(process.Stdout, lines)}\n--- stderr ---\n{Last(process.Stderr, lines)}";
    }

    private sealed class Node(int index, int siloPort, int gatewayPort)
    {
        private readonly List<string> _earlier = [];

        public int Index { get; } = index;

        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public ChildProcess? Process { get; set; }

        /// <summary>Kills the current process, if any (its tree), keeping the end of its output.</summary>
        public void Retire()
        {
            if (Process is not { } process) return;
            Process = null;
            _earlier.Add(Tail(process, 100_000));
            process.Dispose();
        }

        public string Describe(int lines) =>
            string.Join("\n--- (restarted) ---\n",
            [.. _earlier.Select(e => string.Join('\n', e.Split('\n').TakeLast(lines))),
            .. Process is { } p ? [Tail(p, lines)] : Array.Empty<string>()]);
    }
}
