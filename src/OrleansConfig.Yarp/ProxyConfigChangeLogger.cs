using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace OrleansConfig.Yarp;

/// <summary>
/// Logs what YARP made of each configuration: applied (with the OrleansConfig revision it holds) or failed. YARP
/// merges every provider's routes and clusters and applies them together, so a failure may come from any of them.
/// </summary>
internal sealed partial class ProxyConfigChangeLogger(ILogger<ProxyConfigChangeLogger> logger) : IConfigChangeListener
{
    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) =>
        LogLoadingFailed(logger, configProvider.GetType().Name, exception);

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception) =>
        LogApplyingFailed(logger, Ours(proxyConfigs), exception);

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var ours = proxyConfigs.OfType<CatalogProxyConfig>().FirstOrDefault();
        LogApplied(
            logger,
            Ours(proxyConfigs),
            ours?.Clusters.Count ?? 0,
            ours?.Routes.Count ?? 0,
            proxyConfigs.Sum(c => c.Clusters?.Count ?? 0),
            proxyConfigs.Sum(c => c.Routes?.Count ?? 0));
    }

    /// <summary>The union version of the OrleansConfig configuration among them; "none" before the catalog's first one.</summary>
    private static string Ours(IReadOnlyList<IProxyConfig> configs) =>
        configs.OfType<CatalogProxyConfig>().FirstOrDefault() is { } ours && ours.Version != default ? ours.Version.ToString() : "none";

    [LoggerMessage(6100, LogLevel.Information,
        "YARP applied its configuration: OrleansConfig union version {Version} with {Clusters} clusters and {Routes} routes; " +
        "{AllClusters} clusters and {AllRoutes} routes from all providers")]
    private static partial void LogApplied(ILogger logger, string version, int clusters, int routes, int allClusters, int allRoutes);

    [LoggerMessage(6101, LogLevel.Error,
        "YARP refused its configuration (OrleansConfig union version {Version}); it keeps serving the last one it applied")]
    private static partial void LogApplyingFailed(ILogger logger, string version, Exception exception);

    [LoggerMessage(6102, LogLevel.Error, "YARP could not load the configuration of {Provider}")]
    private static partial void LogLoadingFailed(ILogger logger, string provider, Exception exception);
}
