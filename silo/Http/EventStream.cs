using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// <c>/api/events</c>: Server-Sent Events for the status page. On connect it sends every part of the feed, then each
/// part again whenever it changes (<c>services</c>, <c>endpoints</c>, <c>sources</c>, <c>version</c> events, the data
/// the same JSON as the API). A slow page skips states instead of queueing them: it is always sent the newest.
/// </summary>
internal static partial class EventStream
{
    public static async Task Serve(
        HttpContext context, UnionFeed feed, IOptions<SiloHttpOptions> options, IHostApplicationLifetime lifetime,
            ILogger<UnionFeed> logger)
    {
        var response = context.Response;
        using var listening = feed.TryListen();
        if (listening is null)
        {
            var max = options.Value.MaxEventStreamClients;
            LogTooMany(logger, max);
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = "5";
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(
                $"too many event streams open ({SiloHttpOptions.SectionName}:{nameof(SiloHttpOptions.MaxEventStreamClients)} is " +
                    $"{max}); try again later\n",
                context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Reverse proxies (nginx) would otherwise buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";

        // The host's stop ends the stream too: an open page must not hold up the silo's shutdown.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var keepAlive = options.Value.KeepAlive;
        var sent = FeedState.Empty;
        try
        {
            // A page that loses the stream reconnects after this long (EventSource does it by itself).
            await Write(response, "retry: 2000\n\n", cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var state = feed.Current;
                var text = new StringBuilder();
                if (!ReferenceEquals(state.Services, sent.Services) && state.Services is not null) Event(text, "services", state.Services);
                if (!ReferenceEquals(state.Endpoints, sent.Endpoints) && state.Endpoints is not null)
                {
                    Event(text, "endpoints", state.Endpoints);
                }
                if (!ReferenceEquals(state.Sources, sent.Sources) && state.Sources is not null) Event(text, "sources", state.Sources);
                if (state.Version != sent.Version)
                {
                    Event(text, "version", System.Text.Json.JsonSerializer.Serialize(new { version = state.Version }));
                }
                if (text.Length > 0) await Write(response, text.ToString(), cancellationToken);
                sent = state;

                try
                {
                    await feed.WaitForChangeAsync(state, cancellationToken).WaitAsync(keepAlive, cancellationToken);
                }
                catch (TimeoutException)
                {
                    await Write(response, ": keep-alive\n\n", cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away or the silo is stopping.
        }
    }

    /// <summary>One event; the data is compact JSON, which holds no raw line breaks, so it is one <c>data:</c> line.</summary>
    private static void Event(StringBuilder text, string name, string json) =>
        text.Append("event: ").Append(name).Append('\n').Append("data: ").Append(json).Append("\n\n");

    private static async Task Write(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(3201, LogLevel.Warning,
        "Refused an event stream: {Max} are open, as many as OrleansConfig:Http:MaxEventStreamClients allows")]
    private static partial void LogTooMany(ILogger logger, int max);
}
