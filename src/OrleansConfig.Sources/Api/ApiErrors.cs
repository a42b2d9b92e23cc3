namespace OrleansConfig.Sources.Api;

internal static class ApiErrors
{
    public static ApiErrorKind Classify(Exception exception) => exception switch
    {
        ApiServerException { IsGone: true } => ApiErrorKind.Gone,
        ApiServerException { IsTimeout: true } => ApiErrorKind.Timeout,
        ApiServerException => ApiErrorKind.Failed,
        TimeoutException => ApiErrorKind.Timeout,
        IOException => ApiErrorKind.Disconnected,
        _ => ApiErrorKind.Failed,
    };

    /// <summary>A one-line reason for logs and the grain's error.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        ApiServerException api =>
            api.Reason is { Length: > 0 } reason ? $"{api.StatusCode} {reason}: {api.Message}" : $"{api.StatusCode}: {api.Message}",
        HttpRequestException { InnerException: { } inner } http when !http.Message.Contains(inner.Message, StringComparison.Ordinal) =>
            $"{http.Message} ({inner.Message})",
        TimeoutException or IOException or HttpRequestException => exception.Message,
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
