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

namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>
/// Real HTTP backends for the discovery and gateway tests: one Kestrel server on several free 127.0.0.1 ports; each
/// port answers <c>PORT PATH</c> (path and query as received), so a test sees which backend a request reached and what
/// path was forwarded, and each port counts the requests it got.
/// </summary>
internal sealed class HttpBackends : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, int> _hits;

    private HttpBackends(WebApplication app, int[] ports, ConcurrentDictionary<int, int> hits)
    {
        _app = app;
        Ports = ports;
        _hits = hits;
    }

    /// <summary>The backends' ports, in start order.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Requests each port has answered.</summary>
    public int Hits(int port) => _hits.GetValueOrDefault(port);

    /// <summary>The port in an answer <c>PORT PATH</c>.</summary>
    public static int PortOf(string answer) => int.Parse(answer.Split(' ')[0], CultureInfo.InvariantCulture);

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
        var hits = new ConcurrentDictionary<int, int>();
        app.Run(context =>
        {
            var port = context.Connection.LocalPort;
            hits.AddOrUpdate(port, 1, (_, n) => n + 1);
            return context.Response.WriteAsync(
                $"{port.ToString(CultureInfo.InvariantCulture)} {context.Request.Path}{context.Request.QueryString}");
        });
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToArray();
        return new HttpBackends(app, ports, hits);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
