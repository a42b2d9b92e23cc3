namespace OrleansConfig.Sources.Api;

/// <summary>How the source treats a failed list or watch.</summary>
internal enum ApiErrorKind
{
    /// <summary>The resourceVersion is too old (410): list again at once.</summary>
    Gone,

    /// <summary>The server or the request timed out: back off and watch again from the same version.</summary>
    Timeout,

    /// <summary>An established watch broke: back off and watch again from the same version.</summary>
    Disconnected,

    /// <summary>Anything else (refused, unauthorized, a server error, a bad response): back off and list again.</summary>
    Failed,
}
