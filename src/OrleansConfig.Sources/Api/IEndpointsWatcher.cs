namespace OrleansConfig;

/// <summary>Lists and watches Endpoints across all namespaces (the original SourceAPI's <c>EndpointsWatcher</c>).</summary>
public interface IEndpointsWatcher
{
    /// <summary>Every Endpoints, with the resourceVersion the list was read at.</summary>
    Task<ApiList<Endpoints>> ListEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>The changes after <paramref name="resourceVersion"/>; see <see cref="IServicesWatcher.WatchServicesAsync"/>.</summary>
    IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(string resourceVersion, CancellationToken cancellationToken);
}
