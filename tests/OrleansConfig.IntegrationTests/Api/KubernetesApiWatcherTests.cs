using System.Security.Cryptography.X509Certificates;
using OrleansConfig.Sources.Api;
using OrleansConfig.IntegrationTests.Etcd;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>The KubernetesClient implementation of the watchers against the fake API server's list and watch protocol.</summary>
public sealed class KubernetesApiWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly List<IAsyncDisposable> _disposables = [];
    private FakeApiServer _server = null!;
    private KubernetesApiWatcher _watcher = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _disposables.Add(_server);
        _watcher = Watcher(_server.Url);
    }

    public async Task DisposeAsync()
    {
        _watcher.Dispose();
        foreach (var disposable in _disposables) await disposable.DisposeAsync();
    }

    private static KubernetesApiWatcher Watcher(string server, Action<ApiSourceOptions>? configure = null)
    {
        var options = new ApiSourceOptions { Server = server, ListPageSize = 2, RequestTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return KubernetesApiWatcher.Create(options);
    }

    private static async Task<ApiWatchEvent<T>> Next<T>(IAsyncEnumerator<ApiWatchEvent<T>> events) where T : class
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Timeout), "the watch ended");
        return events.Current;
    }

    private Task WatchIsOpen(string resource) =>
        Eventually.Until(() => _server.Objects.OpenWatches(resource) == 1, timeout: Timeout, what: $"the {resource} watch to open");

    [Fact]
    public async Task A_list_reads_every_service_across_namespaces_page_by_page_at_the_first_pages_version()
    {
        foreach (var sample in ApiSamples.Kubectl) _server.Objects.Apply(ApiSamples.Read(sample));
        _server.Objects.Apply(ApiSamples.Service("web", "team-b"));
        _server.Objects.Apply(ApiSamples.Service("cache", "team-c"));

        var list = await _watcher.ListServicesAsync(CancellationToken.None);

        Assert.Equal(_server.Objects.Version.ToString(), list.ResourceVersion);
        Assert.Equal(ApiSamples.Held(_server).Services, list.Items);
        Assert.Equal(["default/web", "team-a/api", "team-b/db", "team-b/web", "team-c/cache"], list.Items.Select(s => s.Key().ToString()));
        Assert.Equal(
            ["/api/v1/services?limit=2&watch=false", $"/api/v1/services?continue={list.ResourceVersion}%3A2&limit=2&watch=false",
                $"/api/v1/services?continue={list.ResourceVersion}%3A4&limit=2&watch=false"],
            _server.Requests);

        var web = list.Items[0];
        Assert.Equal((80, (IntOrString?)8080, "80-8080"), (web.Spec.Ports[0].Port, web.Spec.Ports[0].TargetPort, web.Spec.Ports[0].Name));
        Assert.Equal(("ClusterIP", "web"), (web.Spec.Type, web.Spec.Selector["app"]));
        Assert.NotNull(web.Spec.ClusterIP);
        Assert.Equal("db.example.com", list.Items[2].Spec.ExternalName);
        Assert.NotNull(list.Items[1].Spec.Ports[0].NodePort);
    }

    [Fact]
    public async Task A_list_whose_continue_token_expired_is_read_again_from_the_start()
    {
        for (var i = 0; i < 5; i++) _server.Objects.Apply(ApiSamples.Service($"s{i}"));
        _server.Objects.ExpireNextContinueToken();

        var list = await _watcher.ListServicesAsync(CancellationToken.None);

        Assert.Equal(5, list.Items.Count);
        Assert.Equal(2, _server.ListsOf("services"));
    }

    [Fact]
    public async Task Endpoints_are_listed_and_watched_across_namespaces()
    {
        _server.Objects.Apply(ApiSamples.Endpoints("web", "team-a", "10.1.0.1", "10.1.0.2"));
        var list = await _watcher.ListEndpointsAsync(CancellationToken.None);
        Assert.Equal(ApiSamples.Held(_server).Endpoints, list.Items);
        Assert.Equal(["10.1.0.1", "10.1.0.2"], list.Items[0].Subsets[0].Addresses.Select(a => a.Ip));
        Assert.Equal("node-1", list.Items[0].Subsets[0].Addresses[0].NodeName);

        await using var events = _watcher.WatchEndpointsAsync(list.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var version = _server.Objects.Apply(ApiSamples.Endpoints("web", "team-b", "10.2.0.1"));
        var added = await Next(events);

        Assert.Equal((ApiWatchEventType.Added, version.ToString()), (added.Type, added.ResourceVersion));
        Assert.Equal(new ObjectKey("team-b", "web"), added.Object!.Key());
    }

    [Fact]
    public async Task EndpointSlices_are_listed_page_by_page_and_watched_with_bookmarks_and_their_410()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Objects.Apply(ApiSamples.Slice($"web-{i}", "web", "shop", "IPv4", new ApiSamples.At($"10.1.0.{i}")));
        }

        var list = await _watcher.ListEndpointSlicesAsync(CancellationToken.None);

        Assert.Equal(["shop/web-0", "shop/web-1", "shop/web-2"], list.Items.Select(s => s.Key().ToString()));
        Assert.Equal(
            ["/apis/discovery.k8s.io/v1/endpointslices?limit=2&watch=false",
                $"/apis/discovery.k8s.io/v1/endpointslices?continue={list.ResourceVersion}%3A2&limit=2&watch=false"],
            _server.Requests);
        Assert.Equal(("web", "10.1.0.1", true), (list.Items[1].ServiceName, list.Items[1].Endpoints[0].Addresses[0],
            list.Items[1].Endpoints[0].Conditions.Ready));

        await using var events = _watcher.WatchEndpointSlicesAsync(list.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        await WatchIsOpen("endpointslices");
        var modified = _server.Objects.Apply(ApiSamples.Slice("web-1", "web", "shop", "IPv4", new ApiSamples.At("10.1.0.1", Ready: false)));
        var deleted = _server.Objects.Delete("endpointslices", "shop", "web-2");
        _server.Objects.Bookmark();

        Assert.True(await first.WaitAsync(Timeout));
        var seen = new[] { events.Current, await Next(events), await Next(events) };
        Assert.Equal(
            [(ApiWatchEventType.Modified, modified.ToString()), (ApiWatchEventType.Deleted, deleted.ToString()),
                (ApiWatchEventType.Bookmark, _server.Objects.Version.ToString())],
            seen.Select(e => (e.Type, e.ResourceVersion)));
        Assert.False(seen[0].Object!.Endpoints[0].Conditions.Ready);

        _server.Objects.Compact();
        await using var expired = _watcher.WatchEndpointSlicesAsync(list.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<ApiServerException>(() => expired.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(ApiErrorKind.Gone, ApiErrors.Classify(error));
    }

    [Fact]
    public async Task Every_list_page_and_watch_of_both_kinds_carries_the_selectors_url_encoded()
    {
        using var watcher = Watcher(_server.Url, o =>
        {
            o.LabelSelector = " !service.kubernetes.io/service-proxy-name,tier in (front,back) ";
            o.FieldSelector = "metadata.namespace!=kube-system";
        });
        for (var i = 0; i < 3; i++) _server.Objects.Apply(ApiSamples.Service($"s{i}"));
        for (var i = 0; i < 3; i++) _server.Objects.Apply(ApiSamples.Endpoints($"s{i}", "default", "10.1.0.1"));

        var services = await watcher.ListServicesAsync(CancellationToken.None);
        var endpoints = await watcher.ListEndpointsAsync(CancellationToken.None);
        await using var serviceEvents = watcher.WatchServicesAsync(services.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var firstService = serviceEvents.MoveNextAsync().AsTask();
        await WatchIsOpen("services");
        await using var endpointsEvents =
            watcher.WatchEndpointsAsync(endpoints.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var firstEndpoints = endpointsEvents.MoveNextAsync().AsTask();
        await WatchIsOpen("endpoints");

        const string Selectors =
            "fieldSelector=metadata.namespace%21%3Dkube-system&labelSelector=%21service.kubernetes.io%2Fservice-proxy-name%2Ctier%20in%20%28front%2Cback%29";
        var version = services.ResourceVersion;
        Assert.Equal(
        [
            $"/api/v1/services?{Selectors}&limit=2&watch=false",
            $"/api/v1/services?continue={version}%3A2&{Selectors}&limit=2&watch=false",
            $"/api/v1/endpoints?{Selectors}&limit=2&watch=false",
            $"/api/v1/endpoints?continue={version}%3A2&{Selectors}&limit=2&watch=false",
            $"/api/v1/services?allowWatchBookmarks=true&{Selectors}&resourceVersion={version}&timeoutSeconds=300&watch=true",
            $"/api/v1/endpoints?allowWatchBookmarks=true&{Selectors}&resourceVersion={version}&timeoutSeconds=300&watch=true",
        ], _server.Requests);
        Assert.Equal((3, 3), (services.Items.Count, endpoints.Items.Count));

        _server.Objects.Apply(ApiSamples.Service("s3"));
        _server.Objects.Apply(ApiSamples.Endpoints("s3", "default", "10.1.0.1"));
        Assert.True(await firstService.WaitAsync(Timeout) && await firstEndpoints.WaitAsync(Timeout));
        Assert.Equal((new ObjectKey("default", "s3"), new ObjectKey("default", "s3")),
            (serviceEvents.Current.Object!.Key(), endpointsEvents.Current.Object!.Key()));
    }

    [Fact]
    public async Task A_watch_streams_adds_modifications_deletions_and_bookmarks_after_its_version()
    {
        var list = await _watcher.ListServicesAsync(CancellationToken.None);
        await using var events = _watcher.WatchServicesAsync(list.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        await WatchIsOpen("services");

        var added = _server.Objects.Apply(ApiSamples.Read("kubectl-web.json"));
        var modified = _server.Objects.Apply(ApiSamples.Service("web", port: 81));
        var deleted = _server.Objects.Delete("services", "default", "web");
        _server.Objects.Apply(ApiSamples.Endpoints("other", "default", "10.0.0.1"));
        _server.Objects.Bookmark();

        Assert.True(await first.WaitAsync(Timeout));
        var seen = new[] { events.Current, await Next(events), await Next(events), await Next(events) };
        Assert.Equal(
            [(ApiWatchEventType.Added, added.ToString()), (ApiWatchEventType.Modified, modified.ToString()),
                (ApiWatchEventType.Deleted, deleted.ToString()), (ApiWatchEventType.Bookmark, _server.Objects.Version.ToString())],
            seen.Select(e => (e.Type, e.ResourceVersion)));
        Assert.Equal(80, seen[0].Object!.Spec.Ports[0].Port);
        Assert.Equal(81, seen[1].Object!.Spec.Ports[0].Port);
        Assert.Null(seen[3].Object);

        var watch = _server.Requests.Single(r => r.Contains("watch=true", StringComparison.Ordinal));
        Assert.Equal($"/api/v1/services?allowWatchBookmarks=true&resourceVersion={list.ResourceVersion}&timeoutSeconds=300&watch=true",
            watch);
    }

    [Fact]
    public async Task A_watch_from_an_older_version_replays_the_changes_since()
    {
        var from = _server.Objects.Version;
        _server.Objects.Apply(ApiSamples.Service("a"));
        _server.Objects.Apply(ApiSamples.Service("b"));
        _server.Objects.Delete("services", "default", "a");

        await using var events = _watcher.WatchServicesAsync(from.ToString(), CancellationToken.None).GetAsyncEnumerator();

        Assert.Equal([ApiWatchEventType.Added, ApiWatchEventType.Added, ApiWatchEventType.Deleted],
            [(await Next(events)).Type, (await Next(events)).Type, (await Next(events)).Type]);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_throws_the_410_of_its_ERROR_event()
    {
        var from = _server.Objects.Version;
        _server.Objects.Apply(ApiSamples.Service("a"));
        _server.Objects.Compact();

        await using var events = _watcher.WatchServicesAsync(from.ToString(), CancellationToken.None).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<ApiServerException>(() => events.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal((410, "Expired"), (error.StatusCode, error.Reason));
        Assert.StartsWith("too old resource version", error.Message);
        Assert.Equal(ApiErrorKind.Gone, ApiErrors.Classify(error));
    }

    [Fact]
    public async Task An_ERROR_event_on_an_open_watch_throws_after_the_events_before_it()
    {
        await using var events =
            _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None).GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        await WatchIsOpen("services");
        _server.Objects.Apply(ApiSamples.Service("a"));
        _server.Objects.ExpireWatches();

        Assert.True(await first.WaitAsync(Timeout));
        var error = await Assert.ThrowsAsync<ApiServerException>(() => events.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.True(error.IsGone);
    }

    [Fact]
    public async Task A_410_status_on_the_watch_request_throws_Gone()
    {
        _server.Reject(410);

        await using var events = _watcher.WatchServicesAsync("1", CancellationToken.None).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<ApiServerException>(() => events.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal((410, "Expired", true), (error.StatusCode, error.Reason, error.IsGone));
    }

    [Fact]
    public async Task A_watch_the_server_ends_ends_the_sequence_with_or_without_events_sent()
    {
        await using (var events = _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None)
            .GetAsyncEnumerator())
        {
            var first = events.MoveNextAsync().AsTask();
            await WatchIsOpen("services");
            _server.Objects.Apply(ApiSamples.Service("a"));
            _server.Objects.EndWatches();
            Assert.True(await first.WaitAsync(Timeout));
            Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Timeout));
        }

        await using (var silent = _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None)
            .GetAsyncEnumerator())
        {
            var first = silent.MoveNextAsync().AsTask();
            await WatchIsOpen("services");
            _server.Objects.EndWatches();
            Assert.False(await first.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task The_servers_timeoutSeconds_ends_a_silent_watch_normally()
    {
        using var watcher = Watcher(_server.Url, o => o.WatchTimeout = TimeSpan.FromSeconds(1));

        await using var events =
            watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None).GetAsyncEnumerator();

        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.EndsWith("timeoutSeconds=1&watch=true", _server.Requests.Single());
    }

    [Fact]
    public async Task A_dropped_connection_throws_IOException_with_or_without_events_sent()
    {
        await using (var events = _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None)
            .GetAsyncEnumerator())
        {
            var first = events.MoveNextAsync().AsTask();
            await WatchIsOpen("services");
            _server.Objects.Apply(ApiSamples.Service("a"));
            Assert.True(await first.WaitAsync(Timeout));
            _server.Objects.DropWatches();
            var error = await Assert.ThrowsAnyAsync<IOException>(() => events.MoveNextAsync().AsTask().WaitAsync(Timeout));
            Assert.Equal(ApiErrorKind.Disconnected, ApiErrors.Classify(error));
        }

        await using (var silent = _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), CancellationToken.None)
            .GetAsyncEnumerator())
        {
            var first = silent.MoveNextAsync().AsTask();
            await WatchIsOpen("services");
            _server.Objects.DropWatches();
            await Assert.ThrowsAnyAsync<IOException>(() => first.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Cancelling_a_watch_closes_its_connection()
    {
        using var cancel = new CancellationTokenSource();
        await using var events =
            _watcher.WatchServicesAsync(_server.Objects.Version.ToString(), cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = events.MoveNextAsync().AsTask();
        await WatchIsOpen("services");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
        await Eventually.Until(() => _server.Objects.OpenWatches("services") == 0,
            timeout: Timeout, what: "the server to see the watch go");
    }

    [Fact]
    public async Task Requests_after_a_cancelled_watch_are_answered()
    {
        // Regression: a watch cut off mid-stream left a read pending on a pooled HTTP/1.1 connection, and the next request on it hung.
        using var watcher = Watcher(_server.Url, o => o.RequestTimeout = TimeSpan.FromSeconds(3));
        for (var i = 0; i < 8; i++)
        {
            using (var cancel = new CancellationTokenSource())
            {
                await using var events =
                    watcher.WatchServicesAsync(_server.Objects.Version.ToString(), cancel.Token).GetAsyncEnumerator(cancel.Token);
                var first = events.MoveNextAsync().AsTask();
                await WatchIsOpen("services");
                _server.Objects.Apply(ApiSamples.Service($"a{i}"));
                Assert.True(await first.WaitAsync(Timeout));
                var second = events.MoveNextAsync().AsTask();
                await cancel.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Timeout));
            }
            _server.Objects.Apply(ApiSamples.Service($"b{i}"));
            _server.Objects.EndWatches();

            await Task.WhenAll(watcher.ListServicesAsync(CancellationToken.None), watcher.ListEndpointsAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_status_from_the_server_is_an_ApiServerException_with_its_code_and_reason()
    {
        _server.Reject(403, 504);

        var forbidden = await Assert.ThrowsAsync<ApiServerException>(() => _watcher.ListServicesAsync(CancellationToken.None));
        var timeout = await Assert.ThrowsAsync<ApiServerException>(() => _watcher.ListEndpointsAsync(CancellationToken.None));

        Assert.Equal((403, "Forbidden", "rejected by the test (403)"), (forbidden.StatusCode, forbidden.Reason, forbidden.Message));
        Assert.Equal(ApiErrorKind.Failed, ApiErrors.Classify(forbidden));
        Assert.Equal(ApiErrorKind.Timeout, ApiErrors.Classify(timeout));
    }

    [Fact]
    public async Task A_refused_connection_is_a_failure_that_lists_again()
    {
        await _server.StopAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _watcher.ListServicesAsync(CancellationToken.None));
        await using var events = _watcher.WatchServicesAsync("1", CancellationToken.None).GetAsyncEnumerator();
        var watchError = await Assert.ThrowsAsync<HttpRequestException>(() => events.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal(ApiErrorKind.Failed, ApiErrors.Classify(error));
        Assert.Equal(ApiErrorKind.Failed, ApiErrors.Classify(watchError));
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_token()
    {
        var server = await FakeApiServer.StartAsync(token: "s3cret");
        _disposables.Add(server);
        server.Objects.Apply(ApiSamples.Service("web"));

        using var anonymous = Watcher(server.Url);
        var error = await Assert.ThrowsAsync<ApiServerException>(() => anonymous.ListServicesAsync(CancellationToken.None));
        Assert.Equal((401, "Unauthorized"), (error.StatusCode, error.Reason));

        using var authorized = Watcher(server.Url, o => o.Token = "s3cret");
        Assert.Single((await authorized.ListServicesAsync(CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Https_is_trusted_through_the_ca_file()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-config-api-tls-").FullName;
        try
        {
            var files = TestCertificates.Create(directory);
            using var certificate = X509Certificate2.CreateFromPemFile(files.ServerCertFile, files.ServerKeyFile);
            var server = await FakeApiServer.StartAsync(token: "t", certificate: certificate);
            _disposables.Add(server);
            server.Objects.Apply(ApiSamples.Service("web"));

            using var trusted = Watcher(server.Url, o => (o.Token, o.CaFile) = ("t", files.CaFile));
            var list = await trusted.ListServicesAsync(CancellationToken.None);
            Assert.Single(list.Items);
            await using var events = trusted.WatchServicesAsync(list.ResourceVersion, CancellationToken.None).GetAsyncEnumerator();
            server.Objects.Apply(ApiSamples.Service("api"));
            Assert.Equal(ApiWatchEventType.Added, (await Next(events)).Type);

            using var untrusting = Watcher(server.Url, o => o.Token = "t");
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.ListServicesAsync(CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
