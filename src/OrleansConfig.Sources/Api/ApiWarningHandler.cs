using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansConfig.Sources.Api;

/// <summary>
/// Logs the <c>Warning</c> headers the API server sends (<c>299 - "v1 Endpoints is deprecated in v1.33+; …"</c>), as
/// kubectl prints them: each distinct warning once, since the server repeats it on every list and watch.
/// </summary>
internal sealed partial class ApiWarningHandler(ILoggerFactory? loggerFactory) : DelegatingHandler
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KubernetesApiWatcher>();
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Warning", out var warnings))
        {
            foreach (var warning in warnings)
            {
                if (_seen.TryAdd(warning, true)) LogWarning(request.RequestUri?.AbsolutePath ?? "", warning);
            }
        }
        return response;
    }

    [LoggerMessage(2401, LogLevel.Warning, "api source: the API server warns, reading {Path}: {Warning}")]
    private partial void LogWarning(string path, string warning);
}
