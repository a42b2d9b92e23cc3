using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Yarp;

/// <summary>
/// A silo process, the example gateway (examples/Gateway) as a process on a free loopback port, following source
/// <c>yarp-high</c> first, with one route of YARP's own configuration (<c>/static/</c> to the catalog's cluster
/// <c>yarp-static/web:http</c>), and three Kestrel backends.
/// </summary>
public sealed class GatewayProcess : IAsyncLifetime
{
    private ChildProcess? _gateway;
    private KestrelBackends? _backends;

    public SiloProcess Silo { get; } = new();

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    internal IReadOnlyList<int> Backends => _backends!.Ports;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Output => _gateway?.Describe() ?? "(not started)";

    public async Task InitializeAsync()
    {
        await Silo.InitializeAsync();
        _backends = await KestrelBackends.StartAsync(3);
        Address = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}");
        _gateway = ChildProcess.Start(BuiltApps.Gateway,
        [
            "--gateway", Silo.Gateway,
            "--urls", Address.ToString(),
            "--priority", "yarp-high",
            "--ReverseProxy:Routes:static:ClusterId=yarp-static/web:http",
            "--ReverseProxy:Routes:static:Match:Path=/static/{**rest}",
        ]);
        // Up once YARP applied a configuration from the catalog (the first, while the app is built, has no catalog yet).
        await _gateway.ReadLineUntilAsync(
            line => line.Contains("YARP applied its configuration: OrleansConfig union version", StringComparison.Ordinal)
                && !line.Contains("version none", StringComparison.Ordinal),
            SiloProcess.StartTimeout);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_gateway is not null)
        {
            _gateway.Terminate();
            await _gateway.WaitForExitAsync(TimeSpan.FromSeconds(15));
            _gateway.Dispose();
        }
        if (_backends is not null) await _backends.DisposeAsync();
        await Silo.DisposeAsync();
    }
}
