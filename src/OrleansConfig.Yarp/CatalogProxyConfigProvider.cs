using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace OrleansConfig.Yarp;

/// <summary>
/// YARP's configuration from a <see cref="ServiceCatalog"/>: told which keys changed, it maps only those again and
/// publishes a new configuration (firing the old one's change token) only when a cluster or route actually changed.
/// Until it follows a catalog (the host starts it once the Orleans client is connected) it serves an empty configuration.
/// </summary>
internal sealed partial class CatalogProxyConfigProvider : IProxyConfigProvider, ICatalogChangeHandler, IDisposable
{
    private readonly ProxyConfigMapper _mapper;
    private readonly IConfigValidator _validator;
    private readonly ILogger _logger;
    private ServiceCatalog? _catalog;
    private CatalogProxyConfig _config;
    private CancellationTokenSource _changed = new();

    public CatalogProxyConfigProvider(IOptions<OrleansConfigProxyOptions> options, IConfigValidator validator, ILogger<CatalogProxyConfigProvider> logger)
    {
        _mapper = new ProxyConfigMapper(options.Value.ServicePathRoutes, options.Value.LoadBalancingPolicy);
        _validator = validator;
        _logger = logger;
        _config = new CatalogProxyConfig([], [], default, new CancellationChangeToken(_changed.Token));
    }

    /// <summary>Fires once for each new configuration; tests and the benchmark wait on it.</summary>
    public IChangeToken ChangeToken => Volatile.Read(ref _config).ChangeToken;

    public IProxyConfig GetConfig() => Volatile.Read(ref _config);

    /// <summary>Starts following <paramref name="catalog"/>: its first call carries every key.</summary>
    public void Follow(ServiceCatalog catalog)
    {
        if (Interlocked.CompareExchange(ref _catalog, catalog, null) is not null)
        {
            throw new InvalidOperationException("The provider already follows a catalog");
        }
        catalog.RegisterHandler(this);
    }

    /// <summary>Never concurrent (the catalog's promise), so the mapper needs no lock.</summary>
    async Task ICatalogChangeHandler.OnChanged(IReadOnlyCollection<ObjectKey> keys)
    {
        var catalog = _catalog!;
        var version = catalog.Version;
        var result = await _mapper.ApplyAsync(
            keys, key => catalog.TryGet(key, out var entry) ? entry : null, route => _validator.ValidateRouteAsync(route)).ConfigureAwait(false);
        foreach (var refused in result.Rejected)
        {
            LogRouteRefused(_logger, refused.Route.RouteId, string.Join("; ", refused.Errors.Select(e => e.Message)));
        }
        if (!result.Changed) return;

        var previous = _changed;
        _changed = new CancellationTokenSource();
        Volatile.Write(ref _config, new CatalogProxyConfig(_mapper.Routes, _mapper.Clusters, version, new CancellationChangeToken(_changed.Token)));
        LogPublished(_logger, version, _mapper.Clusters.Count, _mapper.Routes.Count, keys.Count);
        // YARP reloads on this thread when the token fires; the new configuration is in place before it asks for it.
        previous.Cancel();
        previous.Dispose();
    }

    public void Dispose() => _changed.Dispose();

    [LoggerMessage(6000, LogLevel.Debug, "Published proxy configuration at union version {Version}: {Clusters} clusters, {Routes} routes ({Keys} services changed)")]
    private static partial void LogPublished(ILogger logger, UnionVersion version, int clusters, int routes, int keys);

    [LoggerMessage(6001, LogLevel.Warning, "Route {Route} from the Service's annotations is left out: {Errors}")]
    private static partial void LogRouteRefused(ILogger logger, string route, string errors);
}

/// <summary>One immutable configuration of <see cref="CatalogProxyConfigProvider"/>, at one union version.</summary>
internal sealed class CatalogProxyConfig(
    IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, UnionVersion version, IChangeToken changeToken) : IProxyConfig
{
    public IReadOnlyList<RouteConfig> Routes { get; } = routes;

    public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

    public UnionVersion Version { get; } = version;

    public IChangeToken ChangeToken { get; } = changeToken;

    public string RevisionId => $"orleans-config {Version}";
}
