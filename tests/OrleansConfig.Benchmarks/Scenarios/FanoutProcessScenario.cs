using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OrleansConfig.Benchmarks.Infrastructure;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// 1,000 subscribers in 10 client processes, spread over 3 silos' gateways: the writer stamps the time in each
/// changed item (one monotonic clock for every process of the machine), every change handler notes write → delivery, and
/// the processes report their latencies over stdout (<see cref="FanoutClientProcess"/>). One change at a time: the next
/// is written once every process says all its subscribers have it.
/// </summary>
internal static class FanoutProcessScenario
{
    /// <summary>The annotation carrying the writer's <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public const string Stamp = "bench.orleans-config/written";

    /// <summary>The changed items' name prefix.</summary>
    public const string Prefix = "fan-";

    private const int Silos = 3, Processes = 10, Warmup = 5;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        if (options.Tls)
        {
            Console.WriteLine("  (skipped with --tls: the client processes connect without certificates)");
            return;
        }
        var perProcess = options.Size(100, 20);
        var changes = options.Size(100, 20);
        await using var cluster = await BenchCluster.Start(Silos);
        var gateways = cluster.Cluster.Silos.Select(s => s.GatewayAddress.Endpoint).ToArray();
        var clients = new List<ChildProcess>();
        try
        {
            for (var p = 0; p < Processes; p++)
            {
                clients.Add(ChildProcess.Start(
                    "fanout-client",
                    gateways[p % gateways.Length].ToString(),
                    cluster.Cluster.Options.ClusterId,
                    cluster.Cluster.Options.ServiceId,
                    perProcess.ToString(CultureInfo.InvariantCulture),
                    (changes + Warmup).ToString(CultureInfo.InvariantCulture),
                    Warmup.ToString(CultureInfo.InvariantCulture)));
            }
            foreach (var client in clients) await client.ReadUntil("ready", TimeSpan.FromMinutes(3));

            var source = cluster.Client.GetSource("fanout-processes");
            for (var i = 0; i < changes + Warmup; i++)
            {
                var result = await source.Apply(new ServiceUpdate(Operation.Add, [Stamped($"{Prefix}{i}")]));
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
                foreach (var client in clients) await client.ReadUntil($"seen {i}", TimeSpan.FromSeconds(30));
            }

            var latencies = new List<double>();
            foreach (var client in clients)
            {
                var line = await client.ReadUntil("latencies ", TimeSpan.FromSeconds(30));
                latencies.AddRange(line["latencies ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
            }
            var expected = Processes * perProcess * changes;
            if (latencies.Count != expected) throw new InvalidOperationException($"expected {expected} deliveries, got {latencies.Count}");
            var subscribers = Processes * perProcess;
            var note = $"{subscribers} subscribers in {Processes} processes over {Silos} gateways, {changes} changes";
            results.Add($"fanout_{subscribers}_p50_ms", Stats.Median(latencies), "ms", null, note);
            results.Add($"fanout_{subscribers}_p99_ms", Stats.Percentile(latencies, 99), "ms", subscribers == 1000 ? "<= 250" : null,
                "write -> every change handler, over all deliveries");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.StopAsync()));
        }
    }

    private static Service Stamped(string name)
    {
        var service = Fixtures.Service(name);
        var stamp = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        return service with { Metadata = service.Metadata with { Annotations = ValueMap.From([new(Stamp, stamp)]) } };
    }

    /// <summary>This harness started again as a client process, its stdout read line by line; killed if it outstays its stop.</summary>
    private sealed class ChildProcess
    {
        private readonly Process _process;

        private ChildProcess(Process process) => _process = process;

        public static ChildProcess Start(params string[] arguments)
        {
            var info = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            // Run as the apphost, or through the dotnet host when started as `dotnet OrleansConfig.Benchmarks.dll`.
            var path = Environment.ProcessPath!;
            info.FileName = path;
            if (Path.GetFileNameWithoutExtension(path) == "dotnet") info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("the client process did not start"));
        }

        /// <summary>Reads lines until one starts with <paramref name="prefix"/>; fails if the process ends or time runs out first.</summary>
        public async Task<string> ReadUntil(string prefix, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync(cancel.Token)
                    ?? throw new InvalidOperationException($"client process {_process.Id} ended (exit code {ExitCode()}) before \"{prefix}\"");
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
                if (line.StartsWith("error ", StringComparison.Ordinal)) throw new InvalidOperationException($"client process {_process.Id}: {line}");
            }
        }

        public async Task StopAsync()
        {
            try
            {
                // Closing stdin tells it to leave; then it gets 10 s.
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (Exception)
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            finally
            {
                _process.Dispose();
            }
        }

        private string ExitCode() => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none yet";
    }
}
