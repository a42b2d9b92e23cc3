using OrleansConfig.Cli.Commands;

namespace OrleansConfig.Cli.Output;

/// <summary>
/// Prints each union state <c>watch</c> is told: a table (redrawn on a terminal) or one JSON List per line. With both kinds,
/// each print shows both, once each kind has its first state; each kind follows its own subscription, so a change to both
/// may be printed in two steps.
/// </summary>
internal sealed class WatchPrinter(IReadOnlyList<ResourceKind> kinds, string format, string? ns)
{
    private readonly bool _terminal = !Console.IsOutputRedirected;
    private readonly Lock _gate = new();
    private IReadOnlyList<Service>? _services;
    private IReadOnlyList<Endpoints>? _endpoints;

    public Task Services(IReadOnlyList<Service> items, UnionVersion version)
    {
        lock (_gate)
        {
            _services = Select(items);
            Print(version);
        }
        return Task.CompletedTask;
    }

    public Task Endpoints(IReadOnlyList<Endpoints> items, UnionVersion version)
    {
        lock (_gate)
        {
            _endpoints = Select(items);
            Print(version);
        }
        return Task.CompletedTask;
    }

    private IReadOnlyList<T> Select<T>(IReadOnlyList<T> items) where T : IConfigItem =>
        Render.Sorted(ns is null ? items : items.Where(i => i.Metadata.Namespace == ns));

    private void Print(UnionVersion version)
    {
        var wantServices = kinds.Contains(ResourceKind.Services);
        var wantEndpoints = kinds.Contains(ResourceKind.Endpoints);
        if ((wantServices && _services is null) || (wantEndpoints && _endpoints is null)) return;
        var services = _services ?? [];
        var endpoints = _endpoints ?? [];
        var stdout = Console.Out;
        if (format == "json")
        {
            stdout.WriteLine(Manifest.ToJson(services, endpoints));
            stdout.Flush();
            return;
        }

        var wide = format == "wide";
        var several = kinds.Count > 1;
        if (_terminal) stdout.Write("\u001b[H\u001b[2J");
        else stdout.WriteLine($"--- {DateTimeOffset.Now:HH:mm:ss} union version {version} ---");
        List<string> parts = [];
        foreach (var kind in kinds)
        {
            parts.Add(kind == ResourceKind.Services
                ? services.Count == 0 ? "No services.\n" : Render.ServicesTable(services, wide, several)
                : endpoints.Count == 0 ? "No endpoints.\n" : Render.EndpointsTable(endpoints, wide, several));
        }
        stdout.Write(string.Join("\n", parts));
        if (_terminal)
        {
            var counts =
                string.Join(" and ",
                kinds.Select(k => k == ResourceKind.Services ? $"{services.Count} services" : $"{endpoints.Count} endpoints"));
            stdout.WriteLine($"\n{counts} at union version {version}; Ctrl+C to stop");
        }
        stdout.Flush();
    }
}
