using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>
/// The built silo running as a process with only the API source, <c>--Sources:Api:Server</c> pointing at a
/// fake API server that serves kubectl-made Services and EndpointSlices (the source's default).
/// </summary>
public sealed class ApiSiloProcess : IAsyncLifetime
{
    private SiloProcess? _silo;

    internal FakeApiServer Server { get; private set; } = null!;

    public string Gateway => _silo?.Gateway ?? "";

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync();
        foreach (var sample in ApiSamples.Kubectl) Server.Objects.Apply(ApiSamples.Read(sample));
        Server.Objects.Apply(ApiSamples.Slice("web-v4", "web", "default", "IPv4",
            new ApiSamples.At("10.1.0.1"), new ApiSamples.At("10.1.0.2", Ready: false, Terminating: true)));
        Server.Objects.Apply(ApiSamples.Slice("web-v6", "web", "default", "IPv6", new ApiSamples.At("fd00::1")));

        // The end-to-end silo process with its file source turned off (the last --Sources:File:Path wins).
        _silo = new SiloProcess { ExtraArgs = ["--Sources:File:Path=", $"--Sources:Api:Server={Server.Url}"], ReadySource = "api" };
        await _silo.InitializeAsync();
    }

    public Task<CliResult> Cli(params string[] args) => _silo!.Cli(args);

    /// <summary>What <c>get services</c> and <c>get endpoints</c> show for the source, read back as a manifest.</summary>
    public async Task<Manifest> Get()
    {
        var services = await Cli("get", "services", "--source", "api", "-o", "json");
        var endpoints = await Cli("get", "endpoints", "--source", "api", "-o", "json");
        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.True(endpoints.ExitCode == 0, endpoints.ToString());
        return new Manifest(Manifest.Parse(services.Stdout).Services, Manifest.Parse(endpoints.Stdout).Endpoints);
    }

    /// <summary>Waits until <c>client get</c> shows exactly what the server holds, its slices merged (as <c>-o json</c>
    /// shows an address: ready or not).</summary>
    public async Task Reflects(string when)
    {
        var expected = Manifest.Parse(ApiSamples.Held(Server, slices: true).ToJson());
        var last = Manifest.Empty;
        try
        {
            await Eventually.Get(async () => last = await Get(), shown => shown.Equals(expected), TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{when}: `get` did not come to show exactly\n{expected.ToJson()}\nit shows\n{last.ToJson()}\n{_silo?.Output}");
        }
    }

    public async Task<JsonElement> Status()
    {
        var result = await Cli("sources", "api", "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.EnumerateArray().Single().Clone();
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
        await Server.DisposeAsync();
    }
}
