using OrleansConfig;

// A YARP gateway fed by OrleansConfig: `dotnet run --project examples/Gateway -- --gateway 127.0.0.1:30000
// --urls http://127.0.0.1:8080`. It forwards /NAMESPACE/NAME/... to that Service (its port named http, else its first)
// with the prefix removed, and the routes the Services' orleans-config/route-hosts and route-path annotations ask for.
// Routes in appsettings.json's ReverseProxy section may name the clusters too: "ClusterId": "shop/frontend:http".
var builder = WebApplication.CreateBuilder(args);
// "Orleans." and not "Orleans": the prefix would quiet OrleansConfig's own log lines too.
builder.Logging.AddFilter("Orleans.", LogLevel.Warning);
var gateways = builder.Configuration["gateway"];
var priority = builder.Configuration["priority"];
builder.UseOrleansClient(client => client.AddOrleansConfigClient(o =>
{
    // --gateway HOST:PORT[,HOST:PORT] as the CLI takes it; unset, the client's defaults (ORLEANS_CONFIG_GATEWAY, 127.0.0.1:30000).
    foreach (var gateway in (gateways ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        o.Gateways.Add(gateway);
    }
}));
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .LoadFromOrleansConfig(o =>
    {
        o.ServicePathRoutes = true;
        // --priority a,b: which source's copy of a Service wins when several publish it.
        foreach (var source in (priority ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            o.SourcePriority.Add(source);
        }
    });

var app = builder.Build();
app.MapReverseProxy();
try
{
    await app.RunAsync();
}
catch (ClusterIdMismatchException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
return 0;
