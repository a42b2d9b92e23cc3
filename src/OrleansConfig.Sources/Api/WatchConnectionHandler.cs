namespace OrleansConfig.Sources.Api;

/// <summary>
/// Gives each watch a connection of its own (<c>Connection: close</c>). The KubernetesClient ends a watch
/// by abandoning its pending read and disposing the response; over HTTP/1.1 the handler then drains the
/// connection for reuse while that read is still outstanding, and the next request on the pooled
/// connection can lose its response to it and hang. A watch is long-lived, so pooling gains nothing.
/// </summary>
internal sealed class WatchConnectionHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWatch(request.RequestUri)) request.Headers.ConnectionClose = true;
        return base.SendAsync(request, cancellationToken);
    }

    private static bool IsWatch(Uri? uri) =>
        uri is not null && uri.Query.Split('&', '?').Contains("watch=true", StringComparer.Ordinal);
}
