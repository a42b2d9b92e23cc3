namespace OrleansConfig;

/// <summary>Lists and watches Endpoints across all namespaces or in one (the original SourceAPI's <c>EndpointsWatcher</c>).</summary>
public interface IEndpointsWatcher
{
    /// <summary>Every Endpoints, with the resourceVersion the list was read at.</summary>
    Task<ApiList<Endpoints>> ListEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>The changes after <paramref name="resourceVersion"/>; see
    /// <see cref="IServicesWatcher.WatchServicesAsync(string, CancellationToken)"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(string resourceVersion, CancellationToken cancellationToken);

    /// <summary>Every Endpoints of the namespace <paramref name="namespaceName"/>; see
    /// <see cref="IServicesWatcher.ListServicesAsync(string, CancellationToken)"/>.</summary>
    Task<ApiList<Endpoints>> ListEndpointsAsync(string namespaceName, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not list one namespace");

    /// <summary>The changes of the namespace <paramref name="namespaceName"/> after <paramref name="resourceVersion"/>;
    /// see <see cref="IServicesWatcher.WatchServicesAsync(string, CancellationToken)"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not watch one namespace");
}
