using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// <c>/api/events</c>: Server-Sent Events for the status page. On connect a snapshot (<c>services</c>, <c>endpoints</c>,
/// <c>sources</c>, <c>version</c> events, the data the same JSON as the API), then only <c>changes</c> events (what one
/// change handler call brought) and <c>sources</c> again when they change. Every event is made once in the feed's
/// <see cref="UnionEventLog"/> and shared by all pages; a page too far behind for the log is sent a fresh snapshot.
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
        var log = feed.Log;
        try
        {
            // A page that loses the stream reconnects after this long (EventSource does it by itself).
            await Write(response, "retry: 2000\n\n"u8.ToArray(), cancellationToken);
            var batch = log.Read(null);
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var text in batch.Events) await response.Body.WriteAsync(text, cancellationToken);
                if (batch.Events.Count > 0) await response.Body.FlushAsync(cancellationToken);
                var cursor = batch.Cursor;
                try
                {
                    await log.WaitForChangeAsync(cursor, cancellationToken).WaitAsync(keepAlive, cancellationToken);
                }
                catch (TimeoutException)
                {
                    await Write(response, ": keep-alive\n\n"u8.ToArray(), cancellationToken);
                }
                batch = log.Read(cursor);
                if (batch.FellBehind) LogBehind(logger, batch.Cursor.Sequence - cursor.Sequence);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away or the silo is stopping.
        }
    }

    private static async Task Write(HttpResponse response, byte[] text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(3202, LogLevel.Debug,
        "A status page fell {Behind} change events behind, more than the silo keeps; it is sent a fresh snapshot instead")]
    private static partial void LogBehind(ILogger logger, long behind);

    [LoggerMessage(3201, LogLevel.Warning,
        "Refused an event stream: {Max} are open, as many as OrleansConfig:Http:MaxEventStreamClients allows")]
    private static partial void LogTooMany(ILogger logger, int max);
}
