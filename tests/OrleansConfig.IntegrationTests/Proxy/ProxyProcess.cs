using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Proxy;

/// <summary>
/// <c>orleans-config proxy</c> running as a real process against a <see cref="SiloProcess"/>, with its control port on
/// a free loopback port; disposing kills it. Waits read its output or its <c>--list</c>, never the clock.
/// </summary>
internal sealed partial class ProxyProcess : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;

    private ProxyProcess(ChildProcess process, string control)
    {
        _process = process;
        Control = control;
    }

    public string Control { get; }

    /// <summary>The proxy's process id (its row in <c>subscribers</c>).</summary>
    public int Id => _process.Id;

    public string Stderr => _process.Stderr;

    public string Describe() => _process.Describe();

    public static ProxyProcess Start(SiloProcess silo, params string[] args)
    {
        var control = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        return new ProxyProcess(silo.StartCli(["proxy", "--control", control, .. args]), control);
    }

    /// <summary>Waits for the <c>opened LISTEN -> ns/name...</c> line of a service and returns where it listens.</summary>
    public async Task<IPEndPoint> OpenedAsync(string service)
    {
        var line =
            await _process.ReadLineUntilAsync(l =>
            l.StartsWith("opened ", StringComparison.Ordinal) && l.Contains($" -> {service}", StringComparison.Ordinal), Timeout);
        return IPEndPoint.Parse(Opened().Match(line).Groups["listen"].Value);
    }

    /// <summary>Waits for the <c>closed LISTEN -> ns/name...</c> line of a service.</summary>
    public Task<string> ClosedAsync(string service) =>
        _process.ReadLineUntilAsync(l =>
            l.StartsWith("closed ", StringComparison.Ordinal) && l.Contains($" -> {service}", StringComparison.Ordinal), Timeout);

    /// <summary><c>proxy --list</c> with the given extra arguments.</summary>
    public Task<CliResult> ListAsync(params string[] args) => Cli.RunAsync(["proxy", "--list", "--control", Control, .. args]);

    /// <summary>Waits until <c>--list -o json</c> shows <paramref name="service"/> with exactly these backends.</summary>
    public Task WaitForBackendsAsync(string service, params int[] ports) =>
        WaitForBackendsAsync(service, [.. ports.Select(p => new IPEndPoint(IPAddress.Loopback, p))]);

    /// <summary>Waits until <c>--list -o json</c> shows <paramref name="service"/> with exactly these backends.</summary>
    public Task WaitForBackendsAsync(string service, params IPEndPoint[] backends)
    {
        string[] expected = [.. backends.Select(b => b.ToString()).Order(StringComparer.Ordinal)];
        return Eventually.Get(
            async () =>
            {
                var result = await ListAsync("-o", "json");
                if (_process.HasExited) throw new InvalidOperationException($"the proxy exited; {Describe()}");
                return result.ExitCode == 0 ? Backends(result.Stdout, service) : [];
            },
            backends => backends.SequenceEqual(expected),
            Timeout,
            $"{service} to have backends [{string.Join(", ", expected)}]; {Describe()}");
    }

    /// <summary>The backends <c>--list -o json</c> shows for <c>ns/name</c> (any port name).</summary>
    public static string[] Backends(string json, string service)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.GetProperty("ports").EnumerateArray()
                .Where(p => $"{p.GetProperty("namespace").GetString()}/{p.GetProperty("name").GetString()}" == service)
                .SelectMany(p => p.GetProperty("backends").EnumerateArray().Select(b => b.GetString()!))
                .Order(StringComparer.Ordinal),
        ];
    }

    public void Dispose() => _process.Dispose();

    [GeneratedRegex(@"^opened (?<listen>\S+) -> ")]
    private static partial Regex Opened();
}
