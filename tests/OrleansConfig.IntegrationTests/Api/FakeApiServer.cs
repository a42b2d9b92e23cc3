using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>
/// A Kubernetes API server for tests, on Kestrel at a free 127.0.0.1 port: <c>GET /api/v1/services</c>,
/// <c>/api/v1/endpoints</c> and <c>/apis/discovery.k8s.io/v1/endpointslices</c> (or <c>…/namespaces/NS/…</c>, one
/// namespace's) list (with <c>limit</c> and <c>continue</c>) and, with <c>watch=true</c>, stream
/// newline-delimited watch events from a <c>resourceVersion</c> (chunked), with bookmarks, ERROR events for
/// compacted versions, the server's <c>timeoutSeconds</c>, and switches to end, drop or refuse connections. Reading v1
/// Endpoints gets the deprecation <c>Warning</c> header Kubernetes 1.33 sends; a field selector over EndpointSlices may
/// name only <c>metadata.namespace</c> (a slice's own name is not its Service's).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly string? _token;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<int> _rejections = new();
    private WebApplication? _app;
    private int _heldWatches;

    private FakeApiServer(string? token, X509Certificate2? certificate)
    {
        _token = token;
        _certificate = certificate;
    }

    public FakeApiObjects Objects { get; } = new();

    public int Port { get; private set; }

    public string Url => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}";

    /// <summary>Watch requests waiting for <see cref="FakeApiObjects.ReleaseWatches"/>.</summary>
    public int HeldWatches => Volatile.Read(ref _heldWatches);

    /// <summary>Every request's path and query, in order.</summary>
    public string[] Requests => [.. _requests];

    /// <summary>The deprecation warning Kubernetes 1.33+ sends with every v1 Endpoints read.</summary>
    public const string EndpointsDeprecation = "299 - \"v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\"";

    /// <summary>A resource's path, across all namespaces or in <paramref name="ns"/>: <c>/api/v1/services</c>,
    /// <c>/apis/discovery.k8s.io/v1/endpointslices</c>.</summary>
    public static string PathOf(string resource, string? ns = null) =>
        (resource == "endpointslices" ? "/apis/discovery.k8s.io/v1/" : "/api/v1/") + (ns is null ? "" : $"namespaces/{ns}/") + resource;

    /// <summary>Watch requests for <paramref name="resource"/>, as their resourceVersion.</summary>
    public string[] WatchesOf(string resource) =>
        [.. Requests.Where(r =>
            r.StartsWith($"{PathOf(resource)}?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal))
            .Select(r => Query(r)["resourceVersion"])];

    public int ListsOf(string resource) =>
        Requests.Count(r =>
            r.StartsWith(PathOf(resource), StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal)
            && !r.Contains("continue=", StringComparison.Ordinal));

    /// <summary>Starts a server; with <paramref name="token"/> it demands that bearer token, with
    /// <paramref name="certificate"/> it serves https.</summary>
    public static async Task<FakeApiServer> StartAsync(string? token = null, X509Certificate2? certificate = null)
    {
        var server = new FakeApiServer(token, certificate);
        await server.ListenAsync(0);
        return server;
    }

    /// <summary>The next requests are answered with these HTTP statuses (and a Status body), one each.</summary>
    public void Reject(params int[] statuses)
    {
        foreach (var status in statuses) _rejections.Enqueue(status);
    }

    /// <summary>Stops listening: open watches are cut and new connections refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var app = _app;
        _app = null;
        if (app is null) return;
        // No request may hold the server open: open watches are cut, and any that arrives is cut at once.
        Objects.GoDown();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same port, with the same objects.</summary>
    public async Task StartAgainAsync()
    {
        Objects.ComeUp();
        await ListenAsync(Port);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_certificate is not null) listen.UseHttps(_certificate);
        }));
        var app = builder.Build();
        app.MapGet("/api/v1/{resource}", (HttpContext context, string resource) => HandleAsync(context, resource, null));
        app.MapGet("/api/v1/namespaces/{ns}/{resource}", (HttpContext context, string ns, string resource) => HandleAsync(context, resource, ns));
        app.MapGet("/apis/discovery.k8s.io/v1/{resource}", (HttpContext context, string resource) =>
            HandleAsync(context, resource, null, discovery: true));
        app.MapGet("/apis/discovery.k8s.io/v1/namespaces/{ns}/{resource}", (HttpContext context, string ns, string resource) =>
            HandleAsync(context, resource, ns, discovery: true));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context, string resource, string? ns, bool discovery = false)
    {
        var request = context.Request;
        _requests.Enqueue(request.Path + request.QueryString);
        if (discovery ? resource != "endpointslices" : resource is not ("services" or "endpoints"))
        {
            await Respond(context, 404,
                FakeApiObjects.Status(404, "NotFound", $"the server could not find the requested resource ({resource})"));
            return;
        }
        if (_token is not null && request.Headers.Authorization != $"Bearer {_token}")
        {
            await Respond(context, 401, FakeApiObjects.Status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        if (_rejections.TryDequeue(out var status))
        {
            await Respond(context, status, FakeApiObjects.Status(status, ReasonOf(status), $"rejected by the test ({status})"));
            return;
        }

        var query = request.Query;
        if (resource == "endpointslices" && query["fieldSelector"].ToString() is { Length: > 0 } fields &&
            fields.Split(',').Any(term => !term.StartsWith("metadata.namespace", StringComparison.Ordinal)))
        {
            await Respond(context, 400, FakeApiObjects.Status(400, "BadRequest",
                $"the test's server takes only metadata.namespace in an endpointslices field selector, got \"{fields}\""));
            return;
        }
        if (resource == "endpoints") context.Response.Headers.Append("Warning", EndpointsDeprecation);
        if (query["watch"] == "true") await WatchAsync(context, resource, query, ns);
        else
        {
            var (code, body) = Objects.List(resource, int.TryParse(query["limit"], out var limit) ? limit : 0, query["continue"], ns);
            await Respond(context, code, body);
        }
    }

    private async Task WatchAsync(HttpContext context, string resource, IQueryCollection query, string? ns)
    {
        var from = long.Parse(query["resourceVersion"].ToString(), CultureInfo.InvariantCulture);
        Interlocked.Increment(ref _heldWatches);
        try
        {
            await Objects.Held().WaitAsync(context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _heldWatches);
        }
        var watch = Objects.Watch(resource, from, context.Abort, out var error, ns);
        if (watch is null && error is null)
        {
            context.Abort();
            return;
        }
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted);
        if (watch is null)
        {
            // An API server answers a watch from a compacted version with 200 and one ERROR event.
            await response.WriteAsync(FakeApiObjects.Event("ERROR", System.Text.Json.Nodes.JsonNode.Parse(error!)!) + "\n",
                context.RequestAborted);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"], out var seconds)) timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            await foreach (var line in watch.Lines.Reader.ReadAllAsync(timeout.Token))
            {
                await response.WriteAsync(line + "\n", timeout.Token);
                await response.Body.FlushAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch's time is up (the response ends normally) or the client went away.
        }
        catch (IOException)
        {
            // The connection was cut.
        }
        finally
        {
            Objects.Closed(watch);
        }
    }

    private static async Task Respond(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static string ReasonOf(int status) => status switch
    {
        410 => "Expired",
        403 => "Forbidden",
        429 => "TooManyRequests",
        504 => "Timeout",
        _ => "InternalError",
    };

    private static Dictionary<string, string> Query(string pathAndQuery) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + pathAndQuery).Query)
            .ToDictionary(p => p.Key, p => p.Value.ToString());
}
