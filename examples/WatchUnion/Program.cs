using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansConfig;

// Connects to the silo that `dotnet run --project silo` starts (its cluster id and 127.0.0.1:30000 are the client's
// defaults too; Orleans:ClusterId, Orleans:Clustering:* or ORLEANS_CONFIG_GATEWAY point it elsewhere).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.UseOrleansClient(client => client.AddOrleansConfigClient());
using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (ClusterIdMismatchException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

var cluster = host.Services.GetRequiredService<IClusterClient>();
await using var services = new ServiceConfig(cluster);
await using var endpoints = new EndpointsConfig(cluster);

// Each handler is told the whole union: at once when registered, then after every change.
// The two handlers may run at the same time: each prints its union in one write, so the lines do not interleave.
services.RegisterHandler(union =>
{
    var text = new StringBuilder($"services at version {services.Version}:\n");
    foreach (var service in union)
    {
        var ports = string.Join(",", service.Spec.Ports.Select(p => $"{p.Port}/{p.Protocol}"));
        text.Append(CultureInfo.InvariantCulture, $"  {service.Key()} from {service.Source()}: {ports}\n");
    }
    Console.Write(text);
    return Task.CompletedTask;
});
endpoints.RegisterHandler(union =>
{
    var text = new StringBuilder($"endpoints at version {endpoints.Version}:\n");
    foreach (var item in union)
    {
        var addresses = item.Subsets.SelectMany(s => s.Addresses.SelectMany(a => s.Ports.Select(p => $"{a.Ip}:{p.Port}")));
        text.Append(CultureInfo.InvariantCulture, $"  {item.Key()} from {item.Source()}: {string.Join(",", addresses)}\n");
    }
    Console.Write(text);
    return Task.CompletedTask;
});

Console.WriteLine("Following the union; Ctrl+C to stop.");
await host.WaitForShutdownAsync();
return 0;
