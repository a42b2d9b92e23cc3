using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OrleansConfig.Reporting;
using OrleansConfig.Sources;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// The silo's HTTP API. <c>/api/services</c>, <c>/api/endpoints</c>, <c>/api/sources</c> and <c>/api/subscribers</c>
/// answer with exactly what <c>get services -o json</c>, <c>get endpoints -o json</c>, <c>sources -o json</c> and
/// <c>subscribers -o json</c> print (the same code makes both).
/// </summary>
internal static class StatusEndpoints
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        app.MapGet("/readyz", Ready);
        app.MapGet("/api/services",
            (SiloReadiness readiness, IGrainFactory grains, IOptions<SiloHttpOptions> options, CancellationToken cancellationToken) =>
            FromCluster(readiness, options, cancellationToken, async token =>
            {
                var snapshot = await grains.GetAggregator().ReadSnapshotAsync(ConfigKinds.Services, cancellationToken: token);
                return Manifest.ToJson(UnionOrder.Sorted(snapshot.Services), [], indented: true);
            }));
        app.MapGet("/api/endpoints",
            (SiloReadiness readiness, IGrainFactory grains, IOptions<SiloHttpOptions> options, CancellationToken cancellationToken) =>
            FromCluster(readiness, options, cancellationToken, async token =>
            {
                var snapshot = await grains.GetAggregator().ReadSnapshotAsync(ConfigKinds.Endpoints, cancellationToken: token);
                return Manifest.ToJson([], UnionOrder.Sorted(snapshot.Endpoints), indented: true);
            }));
        // ?name=NAME (repeatable) also lists sources the union has not heard from, like `sources NAME...`.
        app.MapGet("/api/sources",
            (HttpRequest request, SiloReadiness readiness, IGrainFactory grains, IOptions<SiloHttpOptions> options,
            CancellationToken cancellationToken) =>
        {
            string[] named = request.Query.TryGetValue("name", out StringValues names) ? [.. names.Select(n => n ?? "")] : [];
            // A name is a grain key: refuse what no source can be called before it reaches the cluster.
            var errors = named.Select(SourceName.Check).OfType<string>().Select(error => $"name: {error}").ToList();
            if (errors.Count > 0) return Task.FromResult(Reason(string.Join("; ", errors), StatusCodes.Status400BadRequest));
            return FromCluster(readiness, options, cancellationToken, async token =>
                SourceStatusJson.Serialize(await SourceStatuses.GetAsync(grains, named, token)));
        });
        // Exactly what `subscribers -o json` prints; the status page reads it for its Subscribers table.
        app.MapGet("/api/subscribers", (
            SiloReadiness readiness, IGrainFactory grains, IOptions<SiloHttpOptions> options, CancellationToken cancellationToken) =>
            FromCluster(readiness, options, cancellationToken, async token =>
                SubscriberStatusJson.Serialize(await grains.GetSubscriberRegistry().List().WaitAsync(token))));
        app.MapGet("/api/events", EventStream.Serve);
        foreach (var path in StatusAssets.Paths) app.MapGet(path, StatusAssets.Serve);
    }

    private static async Task<IResult> Ready(SiloReadiness readiness, CancellationToken cancellationToken)
    {
        var report = await readiness.CheckAsync(cancellationToken);
        return Results.Text(
            JsonSerializer.Serialize(report, ReportJson) + "\n",
            "application/json; charset=utf-8",
            statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Answers with the JSON <paramref name="read"/> makes, or 503 with a reason while the cluster cannot answer.</summary>
    private static async Task<IResult> FromCluster(
        SiloReadiness readiness, IOptions<SiloHttpOptions> options, CancellationToken cancellationToken, Func<CancellationToken,
            Task<string>> read)
    {
        if (!readiness.SiloActive) return Unavailable($"silo is {readiness.SiloStatus}, not Active");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            // The CLI prints the JSON with a line break after it; so do we, so the two are byte for byte the same.
            return Results.Text(await read(timeout.Token) + "\n", "application/json; charset=utf-8");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable(ex is OperationCanceledException
                ? $"the cluster did not answer within {options.Value.RequestTimeout}"
                : $"the cluster could not answer: {ex.GetBaseException().Message}");
        }
    }

    private static IResult Unavailable(string reason) => Reason(reason, StatusCodes.Status503ServiceUnavailable);

    private static IResult Reason(string reason, int statusCode) =>
        Results.Text(JsonSerializer.Serialize(new { reason }, ReportJson) + "\n", "application/json; charset=utf-8",
            statusCode: statusCode);
}
