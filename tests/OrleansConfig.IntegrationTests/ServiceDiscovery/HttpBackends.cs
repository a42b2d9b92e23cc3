using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.IntegrationTests.ServiceDiscovery;

/// <summary>
/// Real HTTP backends for discovery tests: one Kestrel server on several free 127.0.0.1 ports, each port one backend
/// that answers with its own port number and counts the requests it got.
/// </summary>
internal sealed class HttpBackends : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, int> _hits = new();

    private HttpBackends(WebApplication app, int[] ports)
    {
        _app = app;
        Ports = ports;
    }

    /// <summary>The backends' ports, in start order.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Requests each port has answered.</summary>
    public int Hits(int port) => _hits.GetValueOrDefault(port);

    public static async Task<HttpBackends> StartAsync(int count)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0 on each listener: the OS picks free ports, read back once the server runs.
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i < count; i++) k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        HttpBackends? backends = null;
        app.Run(context =>
        {
            var port = context.Connection.LocalPort;
            backends!._hits.AddOrUpdate(port, 1, (_, n) => n + 1);
            return context.Response.WriteAsync(port.ToString(CultureInfo.InvariantCulture));
        });
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToArray();
        backends = new HttpBackends(app, ports);
        return backends;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
