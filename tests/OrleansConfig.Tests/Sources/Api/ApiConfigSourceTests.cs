using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Tests.Diagnostics;
using OrleansConfig.Tests.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>
/// The list-and-watch loop against an in-memory API server and grain: the original SourceAPI's watcher
/// contract (list first from an empty version, watch from the list's version, a watch error resets to a
/// list, a timeout keeps the version, a list error starts no watch), and what this source adds to it.
/// </summary>
public sealed class ApiConfigSourceTests : IAsyncLifetime
{
    private readonly FakeApiWatcher _api = new();
    private readonly FakeSourceGrain _grain = new();
    private readonly SourceMeters _meters = new();
    private ApiConfigSource? _source;

    private ApiConfigSource Source => _source!;

    private async Task Start(TimeSpan? resync = null, TimeSpan? watchTimeout = null)
    {
        var options = new ApiSourceOptions
        {
            Server = "http://fake:6443",
            EndpointsFrom = "Endpoints",
            ResyncPeriod = resync ?? TimeSpan.Zero,
            RetryInitialDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(40),
            WatchTimeout = watchTimeout ?? TimeSpan.FromMinutes(5),
        };
        _source = new ApiConfigSource(() => _grain, _api, _api, options, TimeProvider.System, NullLogger.Instance, _meters.Factory);
        await _source.StartAsync(CancellationToken.None);
    }

    /// <summary>Both kinds have an open watch (the fake counts them as they are made).</summary>
    private Task Watching() => Eventually.Until(() => _api.Services.OpenWatches == 1 && _api.Endpoints.OpenWatches == 1,
        "a watch of each kind");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }
        _meters.Dispose();
    }

    [Fact]
    public async Task From_an_empty_version_it_lists_first_then_watches_from_the_lists_version()
    {
        _api.Services.Put(Items.Service("web", ns: "a"));
        _api.Endpoints.Put(Items.Endpoints("web", "a", "10.0.0.1"));
        var listed = _api.Version;

        await Start();
        await Watching();

        Assert.Equal(["list services", "list endpoints"], _api.Calls[..2]);
        Assert.Equal([$"watch endpoints from {listed}", $"watch services from {listed}"], _api.Calls[2..].Order(StringComparer.Ordinal));
        var first = Assert.Single(_grain.Applied);
        Assert.True(first.Synced);
        Assert.Equal((Operation.Set, listed), (first.Services!.Op, first.Services.Revision));
        Assert.Equal((Operation.Set, listed), (first.Endpoints!.Op, first.Endpoints.Revision));
        Assert.Equal(["a/web:80"], _grain.Services);
        Assert.Equal(["a/web"], _grain.Endpoints);
        Assert.Equal(listed.ToString(), Source.ServicesResourceVersion);
    }

    [Fact]
    public async Task A_watch_that_ends_watches_again_from_the_last_version_without_listing()
    {
        await Start();
        await Watching();
        var version = _api.Services.Put(Items.Service("web"));
        await Eventually.Until(() => _grain.Services.Length == 1, "the added service");

        _api.Services.EndWatches();
        await Eventually.Until(() => _api.CallsOf("services").Length == 3, "a second watch");

        Assert.Equal(["list services", "watch services from 1", $"watch services from {version}"], _api.CallsOf("services"));
        Assert.Single(_grain.Applied, u => u.Synced);
    }

    [Fact]
    public async Task Added_and_modified_become_adds_deleted_removes_and_a_bookmark_moves_the_version_on()
    {
        await Start();
        await Watching();

        var added = _api.Services.Put(Items.Service("web", ns: "a"));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/web:80"]), "the add");
        var modified = _api.Services.Put(Items.Service("web", ns: "a", port: 81));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/web:81"]), "the modification");
        var deleted = _api.Services.Delete(new ObjectKey("a", "web"));
        await Eventually.Until(() => _grain.Services.Length == 0, "the delete");

        var changes = _grain.Applied.Skip(1).Select(u => (u.Services!.Op, u.Services.Revision)).ToArray();
        Assert.Equal([(Operation.Add, added), (Operation.Add, modified), (Operation.Remove, deleted)], changes);

        // Another kind moves the version on; a bookmark tells the services watch, and nothing is applied for it.
        _api.Endpoints.Put(Items.Endpoints("other", "default", "10.0.0.1"));
        await Eventually.Until(() => _grain.Endpoints.Length == 1, "the endpoints");
        var applied = _grain.Applied.Count;
        _api.Services.Bookmark();
        await Eventually.Until(() => Source.ServicesResourceVersion == _api.Version.ToString(), "the bookmark's version");
        Assert.Equal(applied, _grain.Applied.Count);
        Assert.Equal(1, _meters.Bookmarks);
        _api.Services.EndWatches();
        await Eventually.Until(() => _api.CallsOf("services").Length == 3, "a second watch");
        Assert.Equal($"watch services from {_api.Version}", _api.CallsOf("services")[^1]);
    }

    [Fact]
    public async Task A_watch_error_resets_to_a_list()
    {
        _api.Services.Put(Items.Service("web"));
        await Start();
        await Watching();

        // The watch ends after an event; watching again fails with a server error.
        _api.Services.FailNextWatch(new ApiServerException(500, "InternalError", "etcdserver: leader changed"));
        _api.Services.Put(Items.Service("api"));
        _api.Services.EndWatches();
        await Eventually.Until(() => _api.Services.OpenWatches == 1 && _api.CallsOf("services").Length == 5, "a list and a new watch");

        Assert.Equal(["list services", "watch services from 2", "watch services from 3", "list services", "watch services from 3"],
            _api.CallsOf("services"));
        Assert.Equal(Operation.Set, _grain.Applied[^1].Services!.Op);
        Assert.Equal(["default/api:80", "default/web:80"], _grain.Services);
        Assert.Equal(["list endpoints", "watch endpoints from 2"], _api.CallsOf("endpoints"));
    }

    [Fact]
    public async Task A_timeout_keeps_the_version()
    {
        await Start();
        await Watching();

        _api.Services.FailNextWatch(new ApiServerException(504, "Timeout", "Timeout: Too large resource version"));
        _api.Services.FailNextWatch(new TimeoutException("the request timed out"));
        _api.Services.EndWatches();
        await Eventually.Until(() => _api.Services.OpenWatches == 1 && _api.CallsOf("services").Length == 5, "a watch after two timeouts");

        Assert.Equal(["list services", .. Enumerable.Repeat("watch services from 1", 4)], _api.CallsOf("services"));
        Assert.Equal(2, _meters.Failures);
    }

    [Fact]
    public async Task A_list_error_starts_no_watch()
    {
        _api.GoDown();
        await Start();
        await Eventually.Until(() => _api.Calls.Length >= 3 && _grain.LastError is not null, "failed lists and the error report");

        Assert.All(_api.Calls, call => Assert.Equal("list services", call));
        Assert.Equal("api: list failed: Connection refused (127.0.0.1:6443)", _grain.LastError);
        Assert.Empty(_grain.Applied);

        _api.ComeBack();
        await Watching();
        await Eventually.Until(() => _grain.LastError is null && _grain.Synced, "the error to clear");
    }

    [Fact]
    public async Task A_refused_list_stays_the_error_while_the_watches_run_until_a_list_of_both_kinds_is_taken()
    {
        const string Refusal = "api: update rejected: services: 100001 items, more than the limit of 100000";
        _api.Services.Put(Items.Service("web"));
        _grain.RefuseWith = new FieldError("services", "100001 items, more than the limit of 100000");
        await Start(resync: TimeSpan.FromMilliseconds(100));
        await Eventually.Until(() => _meters.Lists >= 4, "the first lists and a resync of each kind");
        Assert.Equal(Refusal, _grain.LastError);
        Assert.Empty(_grain.Services);
        Assert.False(_grain.Synced);

        _grain.RefuseWith = null;
        await Eventually.Until(() => _grain.LastError is null, "the next lists to clear the error");
        Assert.Equal(["default/web:80"], _grain.Services);
        Assert.True(_grain.Synced);
    }

    [Fact]
    public async Task A_410_when_watching_again_lists_that_kind_again_and_Sets_it()
    {
        _api.Services.Put(Items.Service("web"));
        await Start();
        await Watching();

        // The watch breaks; before it is made again, the server moves on and forgets the history.
        _api.Services.HoldWatches();
        _api.Services.EndWatches(new IOException("connection reset by peer"));
        await Eventually.Until(() => _api.Services.HeldWatches == 1, "the next watch");
        _api.Services.Delete(new ObjectKey("default", "web"));
        var current = _api.Services.Put(Items.Service("api"));
        _api.Services.Compact();
        _api.Services.ReleaseWatches();

        await Eventually.Until(() => _grain.Services.SequenceEqual(["default/api:80"]) && _api.Services.OpenWatches == 1, "the relist");
        Assert.Equal(["list services", "watch services from 2", "watch services from 2", "list services", $"watch services from {current}"],
            _api.CallsOf("services"));
        var last = _grain.Applied[^1];
        Assert.Equal((Operation.Set, current), (last.Services!.Op, last.Services.Revision));
        Assert.Null(last.Endpoints);
        Assert.Equal(1, _meters.Expired);
        Assert.Null(_grain.LastError);
    }

    [Fact]
    public async Task A_410_error_event_lists_again_even_while_the_watch_is_open()
    {
        await Start();
        await Watching();
        var lists = _meters.Lists;

        _api.Endpoints.EndWatches(new ApiServerException(410, "Expired", "too old resource version: 1 (5)"));
        await Eventually.Until(() => _meters.Lists == lists + 1 && _api.Endpoints.OpenWatches == 1, "a list and a new watch");

        Assert.Equal(1, _meters.Expired);
        Assert.Equal(0, _meters.Failures);
        Assert.Equal(["list endpoints", "watch endpoints from 1", "list endpoints", "watch endpoints from 1"], _api.CallsOf("endpoints"));
    }

    [Fact]
    public async Task A_broken_watch_keeps_the_state_and_the_version()
    {
        await Start();
        await Watching();
        var version = _api.Services.Put(Items.Service("web"));
        await Eventually.Until(() => _grain.Services.Length == 1, "the service");

        _api.Services.EndWatches(new IOException("The response ended prematurely."));
        await Eventually.Until(() => _api.Services.OpenWatches == 1 && _api.CallsOf("services").Length == 3, "a new watch");

        Assert.Equal($"watch services from {version}", _api.CallsOf("services")[^1]);
        Assert.Equal(["default/web:80"], _grain.Services);
        Assert.Null(_grain.LastError);
    }

    [Fact]
    public async Task An_outage_reports_an_error_keeps_the_state_and_converges_once_the_server_is_back()
    {
        _api.Services.Put(Items.Service("web"));
        _api.Endpoints.Put(Items.Endpoints("web", "default", "10.0.0.1"));
        await Start();
        await Watching();

        _api.GoDown();
        await Eventually.Until(() => _grain.LastError is not null, "the error report");
        Assert.StartsWith("api: ", _grain.LastError);
        Assert.Equal(["default/web:80"], _grain.Services);

        _api.Services.Put(Items.Service("api"));
        _api.Endpoints.Delete(new ObjectKey("default", "web"));
        _api.ComeBack();

        await Eventually.Until(() => _grain.Services.Length == 2 && _grain.Endpoints.Length == 0 && _grain.LastError is null, "recovery");
        Assert.True(_meters.Failures > 0);
    }

    [Fact]
    public async Task A_bad_object_is_skipped_counted_and_does_not_block_the_rest()
    {
        _api.Services.Put(Items.Service("web"));
        _api.Services.Put(Items.Service("big", port: 70000));
        _api.Services.Put(Items.Service("Bad_Name"));
        await Start();
        await Watching();

        Assert.Equal(["default/web:80"], _grain.Services);
        Assert.Equal(2, _meters.BadValues);
        Assert.True(_grain.Synced);

        _api.Services.Put(Items.Service("api", port: 0));
        _api.Services.Put(Items.Service("db"));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["default/db:80", "default/web:80"]),
            "the good service after the bad one");
        Assert.Equal(3, _meters.BadValues);

        // Fixed, it appears; turned bad, its item leaves (it can no longer be read).
        _api.Services.Put(Items.Service("big", port: 8080));
        _api.Services.Put(Items.Service("web", port: -1));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["default/big:8080", "default/db:80"]),
            "the fixed one in, the broken one out");
        Assert.Equal(4, _meters.BadValues);
        Assert.Equal(3, Source.BadObjects);
        Assert.Null(_grain.LastError);
    }

    [Fact]
    public async Task A_resync_lists_again_every_period_and_the_watch_goes_on_from_the_new_version()
    {
        await Start(resync: TimeSpan.FromMilliseconds(50));
        await Watching();
        await Eventually.Until(() => _meters.Lists >= 6, "two resyncs of each kind");

        _api.Services.Put(Items.Service("web"));
        await Eventually.Until(() => _grain.Services.Length == 1, "a watched add");
        Assert.All(_grain.Applied.Where(u => u.Synced), u =>
            Assert.True(u.Services?.Op == Operation.Set || u.Endpoints?.Op == Operation.Set));
    }

    [Fact]
    public async Task A_watch_silent_past_its_timeout_is_ended_by_the_source_and_made_again_from_its_version()
    {
        // The fake never ends a watch itself, as a server behind a dead connection would not.
        await Start(watchTimeout: TimeSpan.FromMilliseconds(100));
        await Watching();

        await Eventually.Until(() => _api.CallsOf("services").Length >= 3, "two more watches");

        Assert.Equal(["list services", "watch services from 1", "watch services from 1"], _api.CallsOf("services")[..3]);
        Assert.Equal(2, _meters.Lists);
        Assert.Equal(0, _meters.Failures);
    }

    [Fact]
    public async Task Events_that_arrive_together_reach_the_grain_as_one_update_per_operation()
    {
        await Start();
        await Watching();
        _api.Services.Put(Items.Service("keep"));
        await Eventually.Until(() => _grain.Services.Length == 1, "the first service");
        var before = _grain.Applied.Count;

        // Break the watch, change several things before it is made again, and let it replay them at once.
        _api.Services.HoldWatches();
        _api.Services.EndWatches(new IOException("connection reset by peer"));
        await Eventually.Until(() => _api.Services.HeldWatches == 1, "the next watch");
        _api.Services.Put(Items.Service("a"));
        _api.Services.Put(Items.Service("b"));
        _api.Services.Put(Items.Service("a", port: 81));
        var last = _api.Services.Delete(new ObjectKey("default", "keep"));
        _api.Services.ReleaseWatches();
        await Eventually.Until(() => _grain.Services.SequenceEqual(["default/a:81", "default/b:80"]), "the replayed events");

        var updates = _grain.Applied.Skip(before).Select(u => (u.Services!.Op, u.Services.Services.Count, u.Services.Revision)).ToArray();
        Assert.Equal([(Operation.Remove, 1, last), (Operation.Add, 2, last)], updates);
    }

    [Fact]
    public async Task An_unreachable_grain_is_retried_until_the_first_lists_land()
    {
        _api.Services.Put(Items.Service("web"));
        _grain.Unreachable = true;
        await Start();
        await Eventually.Until(() => _meters.Failures >= 2, "failed attempts");
        Assert.Equal(0, _api.Services.OpenWatches);

        _grain.Unreachable = false;
        await Eventually.Until(() => _grain.Synced && _grain.Services.Length == 1, "the lists");
        await Watching();
    }

    [Fact]
    public async Task Stopping_ends_the_loop_and_its_watches()
    {
        await Start();
        await Watching();

        await Source.StopAsync(CancellationToken.None);
        await Eventually.Until(() => _api.Services.OpenWatches == 0 && _api.Endpoints.OpenWatches == 0, "the watches to close");
        _api.Services.Put(Items.Service("web"));

        Assert.Empty(_grain.Services);
    }
}
