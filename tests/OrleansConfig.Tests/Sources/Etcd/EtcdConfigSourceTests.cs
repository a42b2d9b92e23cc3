using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Sources.Etcd;
using OrleansConfig.Tests.Diagnostics;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>The list-and-watch loop against an in-memory etcd and grain.</summary>
public sealed class EtcdConfigSourceTests : IAsyncLifetime
{
    private const string S = "/registry/services/specs/";
    private const string E = "/registry/services/endpoints/";

    private readonly FakeEtcdStore _etcd = new();
    private readonly FakeSourceGrain _grain = new();
    private readonly SourceMeters _meters = new();
    private EtcdConfigSource? _source;

    private EtcdConfigSource Source => _source!;

    private async Task Start(TimeSpan? resync = null)
    {
        var options = new EtcdSourceOptions
        {
            Endpoints = "http://fake:2379",
            ResyncPeriod = resync ?? TimeSpan.FromMinutes(10),
            RetryInitialDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        _source = new EtcdConfigSource(() => _grain, _etcd, options, TimeProvider.System, NullLogger.Instance, _meters.Factory);
        await _source.StartAsync(CancellationToken.None);
    }

    private Task Watching(int watches = 1) => Eventually.Until(() => _meters.Watches >= watches, $"{watches} established watch(es)");

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
    public async Task Starts_with_one_Set_of_each_kind_then_watches_from_the_next_revision()
    {
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        _etcd.Put(E + "b/web", EtcdJson.Endpoints("web", "b"));
        var listed = _etcd.Revision;

        await Start();
        await Watching();

        var first = _grain.Applied[0];
        Assert.True(first.Synced);
        Assert.Equal((Operation.Set, 1), (first.Services!.Op, first.Services.Services.Count));
        Assert.Equal((Operation.Set, 1), (first.Endpoints!.Op, first.Endpoints.Endpoints.Count));
        Assert.Equal(3, _etcd.Lists); // one range read per kind, at one revision
        Assert.Equal([listed + 1], _etcd.WatchStarts);
        Assert.Equal(["a/web:80"], _grain.Services);
        Assert.Equal(["b/web"], _grain.Endpoints);
    }

    [Fact]
    public async Task An_empty_prefix_is_an_empty_Set_and_synced()
    {
        await Start();
        await Watching();

        var first = Assert.Single(_grain.Applied);
        Assert.True(first.Synced);
        Assert.Empty(first.Services!.Services);
        Assert.Empty(first.Endpoints!.Endpoints);
        Assert.True(_grain.Synced);
    }

    [Fact]
    public async Task Puts_updates_and_deletes_become_adds_and_removes_and_the_last_delete_clears()
    {
        await Start();
        await Watching();

        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        _etcd.Put(S + "b/web", EtcdJson.Service("web", "b"));
        await Eventually.Until(() => _grain.Services.Length == 2, "two services");
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a", port: 81));
        await Eventually.Until(() => _grain.Services.Contains("a/web:81"), "the update");
        _etcd.Delete(S + "b/web");
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/web:81"]), "the delete");
        _etcd.Delete(S + "a/web");
        await Eventually.Until(() => _grain.Services.Length == 0, "the last delete");

        Assert.Equal(
            [Operation.Add, Operation.Add, Operation.Add, Operation.Remove, Operation.Remove],
            _grain.Applied.Skip(1).Select(u => u.Services!.Op));
    }

    [Fact]
    public async Task An_outage_reports_an_error_keeps_the_state_and_resumes_from_the_last_revision()
    {
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        await Start();
        await Watching();
        var applied = _etcd.Put(S + "a/api", EtcdJson.Service("api", "a"));
        await Eventually.Until(() => _grain.Services.Length == 2, "the second service");

        _etcd.GoDown();
        await Eventually.Until(() => _grain.LastError is not null, "the error report");
        Assert.StartsWith("etcd: ", _grain.LastError);
        Assert.Equal(["a/api:80", "a/web:80"], _grain.Services);

        _etcd.Delete(S + "a/web");
        _etcd.Put(E + "a/api", EtcdJson.Endpoints("api", "a"));
        _etcd.ComeBack();
        await Eventually.Until(() => _grain.Endpoints.Length == 1 && _grain.LastError is null, "recovery");

        Assert.Equal(["a/api:80"], _grain.Services);
        Assert.Equal(3, _etcd.Lists);
        Assert.Equal(applied + 1, _etcd.WatchStarts[^1]);
        Assert.True(_meters.Failures > 0);
    }

    [Fact]
    public async Task A_compacted_start_revision_lists_again_and_Sets()
    {
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        await Start();
        await Watching();

        _etcd.GoDown();
        await Eventually.Until(() => _grain.LastError is not null, "the error report");
        _etcd.Delete(S + "a/web");
        _etcd.Put(S + "a/api", EtcdJson.Service("api", "a"));
        _etcd.Compact();
        _etcd.ComeBack();
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/api:80"]) && _grain.LastError is null, "the relist");

        Assert.Equal(1, _meters.Compactions);
        Assert.Equal(2, _meters.Lists);
        Assert.Equal(Operation.Set, _grain.Applied[^1].Services!.Op);
    }

    [Fact]
    public async Task A_refused_list_stays_the_error_through_later_changes_and_outages_until_a_list_is_taken()
    {
        const string Refusal =
            "etcd: update rejected: services: would remove 19 of the source's 20 items (95%), over its deletion limit of 50%";
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        _grain.RefuseWith = new FieldError("services", "would remove 19 of the source's 20 items (95%), over its deletion limit of 50%");
        await Start();
        await Watching();
        Assert.Equal(Refusal, _grain.LastError);
        Assert.Empty(_grain.Services);

        // A change taken since does not make the grain whole: the refused list is still missing from it.
        _grain.RefuseWith = null;
        _etcd.Put(S + "a/api", EtcdJson.Service("api", "a"));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/api:80"]), "the watched put");
        Assert.Equal(Refusal, _grain.LastError);

        // An outage's error replaces it while it lasts; the recovery puts the refusal back, not "no error".
        _etcd.GoDown();
        await Eventually.Until(() => _grain.LastError is { } error && error != Refusal, "the outage's error");
        _etcd.ComeBack();
        await Eventually.Until(() => _meters.Watches >= 2 && _grain.LastError == Refusal, "the watch again, and the refusal back");
        Assert.Equal(1, _meters.Lists);

        // The next list the grain takes clears it (here after the watch's revision is compacted away).
        _etcd.GoDown();
        await Eventually.Until(() => _grain.LastError != Refusal, "the outage's error");
        _etcd.Put(S + "a/db", EtcdJson.Service("db", "a"));
        _etcd.Compact();
        _etcd.ComeBack();
        await Eventually.Until(() => _grain.LastError is null, "the relist to clear the error");
        Assert.Equal(["a/api:80", "a/db:80", "a/web:80"], _grain.Services);
        Assert.Equal(2, _meters.Lists);
    }

    [Fact]
    public async Task Resync_lists_again_every_period_while_the_watch_goes_on()
    {
        await Start(resync: TimeSpan.FromMilliseconds(50));
        await Watching();
        await Eventually.Until(() => _meters.Lists >= 3, "two resyncs");

        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        await Eventually.Until(() => _grain.Services.Length == 1, "a watched put");

        Assert.Equal(1, _meters.Watches);
        Assert.All(_grain.Applied.Where(u => u.Synced), u => Assert.Equal(Operation.Set, u.Services!.Op));
    }

    [Fact]
    public async Task A_revision_that_puts_and_deletes_applies_both()
    {
        _etcd.Put(S + "a/old", EtcdJson.Service("old", "a"));
        await Start();
        await Watching();

        _etcd.Txn((S + "a/old", null), (S + "a/new", EtcdJson.Service("new", "a")), (E + "a/new", EtcdJson.Endpoints("new", "a")));
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/new:80"]) && _grain.Endpoints.Length == 1,
            "both halves of the revision");
    }

    [Fact]
    public async Task A_bad_value_is_skipped_counted_and_the_item_appears_once_fixed()
    {
        await Start();
        await Watching();

        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        _etcd.Put(S + "a/api", "{broken");
        _etcd.Put(S + "a/db", EtcdJson.Service("other", "a"));
        _etcd.Put(S + "a/ok", EtcdJson.Service("ok", "a"));
        await Eventually.Until(() => _grain.Services.Length == 2, "the good services");
        Assert.Equal(["a/ok:80", "a/web:80"], _grain.Services);
        Assert.Equal(2, _meters.BadValues);

        _etcd.Put(S + "a/api", EtcdJson.Service("api", "a"));
        await Eventually.Until(() => _grain.Services.Length == 3, "the fixed service");

        // A good value replaced by a bad one: the item can no longer be read, so it leaves.
        _etcd.Put(S + "a/web", "not json");
        await Eventually.Until(() => _grain.Services.SequenceEqual(["a/api:80", "a/ok:80"]), "the item with the bad value to leave");
        Assert.Equal(3, _meters.BadValues);
        Assert.Equal(2, Source.BadKeys);
    }

    [Fact]
    public async Task An_unreachable_grain_is_retried_until_the_list_lands()
    {
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        _grain.Unreachable = true;
        await Start();
        await Eventually.Until(() => _meters.Failures >= 2, "failed attempts");

        _grain.Unreachable = false;
        await Eventually.Until(() => _grain.Synced && _grain.Services.Length == 1, "the list");
        await Watching();
    }

    [Fact]
    public async Task Stopping_ends_the_loop()
    {
        await Start();
        await Watching();

        await Source.StopAsync(CancellationToken.None);
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));

        Assert.Empty(_grain.Services);
    }
}
