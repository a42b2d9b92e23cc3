using System.Net.Http;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Sources.Api;

/// <summary>
/// <see cref="IServicesWatcher"/>, <see cref="IEndpointsWatcher"/> and <see cref="IEndpointSlicesWatcher"/> over the
/// official KubernetesClient: paged lists and bookmark-enabled watches across all namespaces or in one, with the
/// configured label and field selectors (Services' and Endpoints' as configured, EndpointSlices' translated by
/// <see cref="ApiSelectors.ForSlices"/>), its errors turned into the seam's.
/// </summary>
internal sealed class KubernetesApiWatcher : IServicesWatcher, IEndpointsWatcher, IEndpointSlicesWatcher, IDisposable
{
    // A list whose continue token expired part way is read again from the start, at most this often.
    private const int MaxListRestarts = 3;

    private readonly Kubernetes _client;
    private readonly TimeSpan _requestTimeout;
    private readonly int _pageSize;
    private readonly int _watchTimeoutSeconds;
    private readonly string? _labelSelector;
    private readonly string? _fieldSelector;
    private readonly string? _sliceLabelSelector;
    private readonly string? _sliceFieldSelector;

    internal KubernetesApiWatcher(KubernetesClientConfiguration config, ApiSourceOptions options, ILoggerFactory? loggerFactory = null)
    {
        _client = new Kubernetes(config, new WatchConnectionHandler(), new ApiWarningHandler(loggerFactory));
        _requestTimeout = options.RequestTimeout;
        _pageSize = options.ListPageSize;
        _watchTimeoutSeconds = Math.Max(1, (int)options.WatchTimeout.TotalSeconds);
        _labelSelector = options.LabelSelectorOrNull;
        _fieldSelector = options.FieldSelectorOrNull;
        (_sliceLabelSelector, _sliceFieldSelector) = ApiSelectors.ForSlices(_labelSelector, _fieldSelector);
    }

    public static KubernetesApiWatcher Create(ApiSourceOptions options, ILoggerFactory? loggerFactory = null) =>
        new(ApiClientConfiguration.Build(options), options, loggerFactory);

    public Task<ApiList<Service>> ListServicesAsync(CancellationToken cancellationToken) => ListAsync(
        (next, token) =>
            _client.CoreV1.ListServiceForAllNamespacesAsync(
                continueParameter: next, fieldSelector: _fieldSelector, labelSelector: _labelSelector, limit: _pageSize,
                cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToService,
        cancellationToken);

    public Task<ApiList<Endpoints>> ListEndpointsAsync(CancellationToken cancellationToken) => ListAsync(
        (next, token) =>
            _client.CoreV1.ListEndpointsForAllNamespacesAsync(
                continueParameter: next, fieldSelector: _fieldSelector, labelSelector: _labelSelector, limit: _pageSize,
                cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToEndpoints,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(string resourceVersion, CancellationToken cancellationToken) =>
        WatchAsync(
        (onError, token) => _client.CoreV1.WatchListServiceForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: _fieldSelector, labelSelector: _labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError,
                cancellationToken: token),
        service => service.Metadata,
        V1ObjectMapper.ToService,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(string resourceVersion, CancellationToken cancellationToken) =>
        WatchAsync(
        (onError, token) => _client.CoreV1.WatchListEndpointsForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: _fieldSelector, labelSelector: _labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError,
                cancellationToken: token),
        endpoints => endpoints.Metadata,
        V1ObjectMapper.ToEndpoints,
        cancellationToken);

    public Task<ApiList<Service>> ListServicesAsync(string namespaceName, CancellationToken cancellationToken) => ListAsync(
        (next, token) => _client.CoreV1.ListNamespacedServiceAsync(
            namespaceName, continueParameter: next, fieldSelector: _fieldSelector, labelSelector: _labelSelector, limit: _pageSize,
            cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToService,
        cancellationToken);

    public Task<ApiList<Endpoints>> ListEndpointsAsync(string namespaceName, CancellationToken cancellationToken) => ListAsync(
        (next, token) => _client.CoreV1.ListNamespacedEndpointsAsync(
            namespaceName, continueParameter: next, fieldSelector: _fieldSelector, labelSelector: _labelSelector, limit: _pageSize,
            cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToEndpoints,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Service>> WatchServicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) => WatchAsync(
        (onError, token) => _client.CoreV1.WatchListNamespacedServiceAsync(
            namespaceName, allowWatchBookmarks: true, fieldSelector: _fieldSelector, labelSelector: _labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: token),
        service => service.Metadata,
        V1ObjectMapper.ToService,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<Endpoints>> WatchEndpointsAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) => WatchAsync(
        (onError, token) => _client.CoreV1.WatchListNamespacedEndpointsAsync(
            namespaceName, allowWatchBookmarks: true, fieldSelector: _fieldSelector, labelSelector: _labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: token),
        endpoints => endpoints.Metadata,
        V1ObjectMapper.ToEndpoints,
        cancellationToken);

    public Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(CancellationToken cancellationToken) => ListAsync(
        (next, token) => _client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(
            continueParameter: next, fieldSelector: _sliceFieldSelector, labelSelector: _sliceLabelSelector, limit: _pageSize,
            cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToEndpointSlice,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(
        string resourceVersion, CancellationToken cancellationToken) =>
        WatchAsync(
        (onError, token) => _client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: _sliceFieldSelector, labelSelector: _sliceLabelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: token),
        slice => slice.Metadata,
        V1ObjectMapper.ToEndpointSlice,
        cancellationToken);

    public Task<ApiList<EndpointSlice>> ListEndpointSlicesAsync(string namespaceName, CancellationToken cancellationToken) => ListAsync(
        (next, token) => _client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
            namespaceName, continueParameter: next, fieldSelector: _sliceFieldSelector, labelSelector: _sliceLabelSelector,
            limit: _pageSize, cancellationToken: token),
        page => (page.Metadata, page.Items),
        V1ObjectMapper.ToEndpointSlice,
        cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent<EndpointSlice>> WatchEndpointSlicesAsync(
        string namespaceName, string resourceVersion, CancellationToken cancellationToken) => WatchAsync(
        (onError, token) => _client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
            namespaceName, allowWatchBookmarks: true, fieldSelector: _sliceFieldSelector, labelSelector: _sliceLabelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: token),
        slice => slice.Metadata,
        V1ObjectMapper.ToEndpointSlice,
        cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>Reads every page; the pages of one list are one snapshot, at the first page's resourceVersion.</summary>
    private async Task<ApiList<T>> ListAsync<TList, TItem, T>(
        Func<string?, CancellationToken, Task<TList>> read,
        Func<TList, (V1ListMeta? Metadata, IList<TItem>? Items)> parts,
        Func<TItem, T> map,
        CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            List<T> items = [];
            string? resourceVersion = null;
            string? next = null;
            try
            {
                do
                {
                    var page = await CallAsync(token => read(next, token), cancellationToken);
                    var (metadata, pageItems) = parts(page);
                    resourceVersion ??= metadata?.ResourceVersion ?? "";
                    if (pageItems is not null) items.AddRange(pageItems.Select(map));
                    next = metadata?.ContinueProperty is { Length: > 0 } token ? token : null;
                }
                while (next is not null);
                return new ApiList<T>(items, resourceVersion);
            }
            catch (ApiServerException ex) when (ex.IsGone && next is not null && restarts < MaxListRestarts)
            {
                // The continue token expired: the pages read so far are of an older snapshot.
            }
        }
    }

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (HttpOperationException ex)
        {
            throw FromResponse(ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"list timed out after {_requestTimeout.TotalSeconds:0.#} s");
        }
    }

    private static async IAsyncEnumerable<ApiWatchEvent<T>> WatchAsync<TItem, T>(
        Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, TItem)>> watch,
        Func<TItem, V1ObjectMeta?> metadata,
        Func<TItem, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        // The client hands an ERROR event (a Status) to onError and reads on; the watch is over, so stop reading.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? error = null;
        void OnError(Exception ex)
        {
            error ??= ex;
            stop.Cancel();
        }

        var events = watch(OnError, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            while (true)
            {
                var (more, failure) = await NextAsync(events, () => error, cancellationToken);
                if (failure is not null) throw failure;
                if (!more) yield break;
                var (type, item) = events.Current;
                var resourceVersion = metadata(item)?.ResourceVersion ?? "";
                yield return type switch
                {
                    WatchEventType.Added => new ApiWatchEvent<T>(ApiWatchEventType.Added, map(item), resourceVersion),
                    WatchEventType.Modified => new ApiWatchEvent<T>(ApiWatchEventType.Modified, map(item), resourceVersion),
                    WatchEventType.Deleted => new ApiWatchEvent<T>(ApiWatchEventType.Deleted, map(item), resourceVersion),
                    WatchEventType.Bookmark => new ApiWatchEvent<T>(ApiWatchEventType.Bookmark, null, resourceVersion),
                    _ => throw new ApiServerException(0, null, $"unexpected watch event type {type}"),
                };
            }
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    /// <summary>The next event, or the seam's exception for whatever ended the watch instead.</summary>
    private static async Task<(bool More, Exception? Failure)> NextAsync<TItem>(
        IAsyncEnumerator<(WatchEventType, TItem)> events, Func<Exception?> reported, CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await events.MoveNextAsync();
        }
        catch (Exception) when (reported() is { } error && !cancellationToken.IsCancellationRequested)
        {
            return (false, FromWatchError(error));
        }
        catch (HttpOperationException ex)
        {
            return (false, FromResponse(ex));
        }
        catch (HttpRequestException ex) when (ex.InnerException is EndOfStreamException)
        {
            // The server ended the watch before sending anything: the client fails to read a first line.
            return (false, null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException io)
        {
            return (false, new IOException($"the watch broke: {io.Message}", ex));
        }
        return reported() is { } late ? (false, FromWatchError(late)) : (more, null);
    }

    private static ApiServerException FromWatchError(Exception error) => error switch
    {
        KubernetesException { Status: { } status } ex =>
            new ApiServerException(status.Code ?? 0, status.Reason, status.Message ?? ex.Message, ex),
        _ => new ApiServerException(0, null, $"unreadable watch event: {error.Message}", error),
    };

    private static ApiServerException FromResponse(HttpOperationException ex)
    {
        var code = (int)ex.Response.StatusCode;
        V1Status? status = null;
        try
        {
            if (!string.IsNullOrEmpty(ex.Response.Content)) status = KubernetesJson.Deserialize<V1Status>(ex.Response.Content);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status: the HTTP status alone says what happened.
        }
        var message = status?.Message is { Length: > 0 } text ? text : $"HTTP {code} {ex.Response.ReasonPhrase}";
        return new ApiServerException(code, status?.Reason, message, ex);
    }
}
