using System.Net;
using System.Text;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// The real silo process serving HTTP, holding N services: the bytes <c>/api/events</c> sends an open status page for one
/// single-item change. Before change events the page was sent the whole Services list on every Services change, which
/// is exactly the snapshot's <c>services</c> event, so that event's size is the figure of before.
/// </summary>
internal static class StatusPageScenario
{
    private const int Sources = 10;
    private const int Changes = 20;

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var services = options.Size(100_000, 10_000);
        var url = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        var silo = new SiloProcess { ExtraArgs = ["--urls", url] };
        await silo.InitializeAsync();
        try
        {
            await using var connection = await BenchCluster.Connect(IPEndPoint.Parse(silo.Gateway), "orleans-config", "orleans-config");
            var grains = connection.Client;
            var perSource = services / Sources;
            for (var s = 0; s < Sources; s++)
            {
                var result = await grains.GetSource($"page-{s}").Apply(new SourceUpdate
                {
                    Services = new ServiceUpdate(Operation.Set, [.. Fixtures.Services($"p{s}-", perSource)]),
                });
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
            }

            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            // A page that connects before the silo's own view holds the whole union would get the rest as changes: connect
            // again until the snapshot is the whole union.
            HttpResponseMessage response;
            EventReader events;
            string snapshot;
            while (true)
            {
                response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
                response.EnsureSuccessStatusCode();
                events = new EventReader(await response.Content.ReadAsStreamAsync(cancel.Token));
                snapshot = await events.Next("services", cancel.Token);
                if (snapshot.Contains($"\"name\":\"p{Sources - 1}-{perSource - 1}\"", StringComparison.Ordinal)) break;
                response.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancel.Token);
            }
            using var _ = response;
            var before = Encoding.UTF8.GetByteCount($"event: services\ndata: {snapshot}\n\n");
            // The rest of the snapshot (endpoints, sources) is not a change's.
            await events.Next("version", cancel.Token);

            long total = 0;
            for (var i = 0; i < Changes; i++)
            {
                var name = $"changed-{i}";
                var result = await grains.GetSource("page-0").Apply(new SourceUpdate
                {
                    Services = new ServiceUpdate(Operation.Add, [Fixtures.Service(name)]),
                });
                if (!result.Accepted) throw new InvalidOperationException(string.Join("; ", result.Errors));
                var start = events.Bytes;
                var change = await events.Next("changes", cancel.Token);
                if (!change.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"expected the change adding {name}, got {change}");
                }
                total += events.Bytes - start;
            }

            var label = services % 1000 == 0 ? $"{services / 1000}k" : services.ToString(System.Globalization.CultureInfo.InvariantCulture);
            results.Add($"status_event_bytes_per_change_{label}", (double)total / Changes, "bytes", null,
                $"/api/events to an open page per single-item change, union of {services} services (mean of {Changes})");
            results.Add($"status_event_bytes_per_change_{label}_before", before, "bytes", null,
                "what the page was sent per Services change before change events: the whole Services list");
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>Reads Server-Sent Events, counting the bytes of every line read.</summary>
    private sealed class EventReader(Stream stream)
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8);

        public long Bytes { get; private set; }

        /// <summary>The data of the next event named <paramref name="name"/>.</summary>
        public async Task<string> Next(string name, CancellationToken cancellationToken)
        {
            string? current = null;
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                Bytes += Encoding.UTF8.GetByteCount(line) + 1;
                if (line.StartsWith("event: ", StringComparison.Ordinal)) current = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == name) return line["data: ".Length..];
                else if (line.Length == 0) current = null;
            }
            throw new InvalidOperationException($"the event stream ended before a {name} event");
        }
    }
}
