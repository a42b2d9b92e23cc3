namespace OrleansConfig;

/// <summary>
/// Lists and watches Services across all namespaces or in one (the original SourceAPI's <c>ServicesWatcher</c>).
/// <see cref="ApiConfigSource"/> runs on it; the Kubernetes implementation is registered by
/// <see cref="ApiConfigSourceServiceCollectionExtensions.AddApiConfigSource"/> unless one is registered first.
/// </summary>
public interface IServicesWatcher
{
    /// <summary>Every Service, with the resourceVersion the list was read at.</summary>
    Task<ApiList<Service>> ListServicesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The changes after <paramref name="resourceVersion"/>, as they happen. The sequence ends when the server
    /// closes the watch. It throws <see cref="ApiServerException"/> for a status from the server (an HTTP
    /// status or an <c>ERROR</c> event: 410 makes the source list again, a timeout keeps the version),
    /// <see cref="IOException"/> when an established watch breaks (the version is kept), and any other
    /// exception when the watch could not be made (the source lists again).
    /// </summary>
    IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(string resourceVersion, CancellationToken cancellationToken);

    /// <summary>Every Service of the namespace <paramref name="namespaceName"/>, with the resourceVersion the list was read
    /// at (for <c>Sources:Api:Namespaces</c>; a watcher that cannot list one namespace throws
    /// <see cref="NotSupportedException"/>).</summary>
    Task<ApiList<Service>> ListServicesAsync(string namespaceName, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not list one namespace");

    /// <summary>The changes of the namespace <paramref name="namespaceName"/> after <paramref name="resourceVersion"/>;
    /// see <see cref="WatchServicesAsync(string, CancellationToken)"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not watch one namespace");
}
