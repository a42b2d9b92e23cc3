using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// 1,000 subscribers in 10 client processes, spread over 3 silos' gateways: the writer stamps the time in each
/// changed item (one monotonic clock for every process of the machine), every change handler notes write → delivery, and
/// the processes report their latencies over stdout (<see cref="FanoutClientProcess"/>). One change at a time: the next
/// is written once every process says all its subscribers have it. Quick runs use 4 processes of 10 subscribers.
/// </summary>
internal static class FanoutProcessScenario
{
    /// <summary>The annotation carrying the writer's <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public const string Stamp = "bench.orleans-config/written";

    /// <summary>The changed items' name prefix.</summary>
    public const string Prefix = "fan-";

    private const int Silos = 3, Warmup = 5;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        if (options.Tls)
        {
            Console.WriteLine("  (skipped with --tls: the client processes connect without certificates)");
            return;
        }
        var processes = options.Size(10, 4);
        var perProcess = options.Size(100, 10);
        var changes = options.Size(100, 20);
        await using var cluster = await BenchCluster.Start(Silos);
        var gateways = cluster.Cluster.Silos.Select(s => s.GatewayAddress.Endpoint).ToArray();
        var clients = new List<ChildProcess>();
        try
        {
            for (var p = 0; p < processes; p++)
            {
                clients.Add(ChildProcess.Start(Assembly.GetEntryAssembly()!.Location, [
                    "fanout-client",
                    gateways[p % gateways.Length].ToString(),
                    cluster.Cluster.Options.ClusterId,
                    cluster.Cluster.Options.ServiceId,
                    perProcess.ToString(CultureInfo.InvariantCulture),
                    (changes + Warmup).ToString(CultureInfo.InvariantCulture),
                    Warmup.ToString(CultureInfo.InvariantCulture)]));
            }
            foreach (var client in clients) await ReadUntil(client, "ready", TimeSpan.FromMinutes(3));

            var source = cluster.Client.GetSource("fanout-processes");
            for (var i = 0; i < changes + Warmup; i++)
            {
                var result = await source.Apply(new ServiceUpdate(Operation.Add, [Stamped($"{Prefix}{i}")]));
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
                foreach (var client in clients) await ReadUntil(client, $"seen {i}", TimeSpan.FromSeconds(30));
            }

            var latencies = new List<double>();
            foreach (var client in clients)
            {
                var line = await ReadUntil(client, "latencies ", TimeSpan.FromSeconds(30));
                latencies.AddRange(line["latencies ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
            }
            var expected = processes * perProcess * changes;
            if (latencies.Count != expected) throw new InvalidOperationException($"expected {expected} deliveries, got {latencies.Count}");
            var subscribers = processes * perProcess;
            var note = $"{subscribers} subscribers in {processes} processes over {Silos} gateways, {changes} changes";
            results.Add($"fanout_{subscribers}_p50_ms", Stats.Median(latencies), "ms", null, note);
            results.Add($"fanout_{subscribers}_p99_ms", Stats.Percentile(latencies, 99), "ms", subscribers == 1000 ? "<= 250" : null,
                "write -> every change handler, over all deliveries");
        }
        finally
        {
            // Each leaves once it has reported; whatever outstays that is killed.
            await Task.WhenAll(clients.Select(c => c.WaitForExitAsync(TimeSpan.FromSeconds(10))));
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Reads the process's lines until one starts with <paramref name="prefix"/>; an <c>error</c> line fails at once.</summary>
    private static async Task<string> ReadUntil(ChildProcess client, string prefix, TimeSpan timeout)
    {
        var line = await client.ReadLineUntilAsync(
            l => l.StartsWith(prefix, StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal), timeout);
        return line.StartsWith(prefix, StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"client process {client.Id}: {line}; {client.Describe()}");
    }

    private static Service Stamped(string name)
    {
        var service = Fixtures.Service(name);
        var stamp = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        return service with { Metadata = service.Metadata with { Annotations = ValueMap.From([new(Stamp, stamp)]) } };
    }
}
