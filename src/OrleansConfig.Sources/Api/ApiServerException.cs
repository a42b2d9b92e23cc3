namespace OrleansConfig;

/// <summary>A status from the API server: an HTTP error status, or the <c>Status</c> of an <c>ERROR</c> watch event.</summary>
public sealed class ApiServerException : Exception
{
    /// <summary>An API server answer with <paramref name="statusCode"/> and its <paramref name="reason"/>.</summary>
    public ApiServerException(int statusCode, string? reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The HTTP status, or the code of the <c>Status</c> (410 when a resourceVersion is too old).</summary>
    public int StatusCode { get; }

    /// <summary>Kubernetes' machine-readable reason (<c>Expired</c>, <c>Gone</c>, <c>Timeout</c>, ...), when given.</summary>
    public string? Reason { get; }

    /// <summary>The resourceVersion is too old ("410 Gone", reason Expired or Gone): list again.</summary>
    public bool IsGone => StatusCode == 410 || Reason is "Expired" or "Gone";

    /// <summary>The server timed out (504, reason Timeout or ServerTimeout): watch again from the same version.</summary>
    public bool IsTimeout => StatusCode == 504 || Reason is "Timeout" or "ServerTimeout";
}
