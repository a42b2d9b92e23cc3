namespace OrleansConfig;

/// <summary>Lists and watches <c>discovery.k8s.io/v1</c> EndpointSlices across all namespaces or in one; the source merges
/// each Service's slices into its Endpoints.</summary>
public interface IEndpointSlicesWatcher
{
    /// <summary>Every EndpointSlice, with the resourceVersion the list was read at.</summary>
    Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(CancellationToken cancellationToken);

    /// <summary>The changes after <paramref name="resourceVersion"/>; see
    /// <see cref="IServicesWatcher.WatchServicesAsync(string, CancellationToken)"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(string resourceVersion, CancellationToken cancellationToken);

    /// <summary>Every EndpointSlice of the namespace <paramref name="namespaceName"/>; see
    /// <see cref="IServicesWatcher.ListServicesAsync(string, CancellationToken)"/>.</summary>
    Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(string namespaceName, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not list one namespace");

    /// <summary>The changes of the namespace <paramref name="namespaceName"/> after <paramref name="resourceVersion"/>;
    /// see <see cref="IServicesWatcher.WatchServicesAsync(string, CancellationToken)"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not watch one namespace");
}
