using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// With a token set, every path but the probes needs <c>Authorization: Bearer TOKEN</c>: the API, the event stream,
/// the status page and its files, <c>/metrics</c> and the dashboard. Refused by default, so a path added later is
/// guarded too. A browser opening <c>/</c> without it is given the token page, which asks once and then loads the
/// status page with the header.
/// </summary>
internal static partial class BearerGuard
{
    /// <summary>Liveness and readiness probes (kubelet, load balancers) cannot send a token, and tell nothing secret.</summary>
    private static readonly HashSet<string> OpenPaths = new(["/healthz", "/readyz", "/livez"], StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<byte[]> TokenPage = new(() =>
    {
        using var stream = typeof(BearerGuard).Assembly.GetManifestResourceStream("TokenPage.html")!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    });

    public static void Use(WebApplication app, BearerToken token)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BearerGuard).FullName!);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var authorization = request.Headers.Authorization;
            // Two Authorization headers are a client's mistake, or an attempt to confuse a proxy: refused.
            if (OpenPaths.Contains(request.Path.Value ?? "") || (authorization.Count == 1 && token.Accepts(authorization[0])))
            {
                await next(context);
                return;
            }

            LogRefused(logger, request.Method, request.Path.Value ?? "", authorization.Count == 0 ? "no token" : "a wrong token");
            var response = context.Response;
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = authorization.Count == 0 ? "Bearer" : "Bearer error=\"invalid_token\"";
            response.Headers.CacheControl = "no-store";
            if (request.Path == "/" && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                response.ContentType = "text/html; charset=utf-8";
                await response.Body.WriteAsync(TokenPage.Value, context.RequestAborted);
                return;
            }
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("unauthorized: send Authorization: Bearer <token>\n", context.RequestAborted);
        });
    }

    [LoggerMessage(3101, LogLevel.Debug, "Refused HTTP {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);
}
