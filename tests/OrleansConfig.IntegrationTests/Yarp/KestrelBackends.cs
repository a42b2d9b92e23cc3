using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.IntegrationTests.Yarp;

/// <summary>
/// Real HTTP backends: one Kestrel server on several free 127.0.0.1 ports; each port answers <c>PORT PATH</c>, so a
/// test sees which backend a request reached and what path the gateway forwarded.
/// </summary>
internal sealed class KestrelBackends : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelBackends(WebApplication app, int[] ports)
    {
        _app = app;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    public static async Task<KestrelBackends> StartAsync(int count)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0 on each listener: the OS picks free ports, read back once the server runs.
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i < count; i++) k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(
            $"{context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)} {context.Request.Path}{context.Request.QueryString}"));
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToArray();
        return new KestrelBackends(app, ports);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
