using OrleansConfig.Tests.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Subscribers;

/// <summary>
/// What ServiceConfig and ServiceCatalog put in their reports, over a fake aggregator: every handler kind (whole union,
/// changes, catalog keys), the lowest version they have all applied, and the last error of one that throws.
/// </summary>
public sealed class SubscriberReportTests
{
    private static readonly ConfigClientOptions Fast = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        ReportInterval = TimeSpan.FromMilliseconds(100),
        RetryInterval = TimeSpan.FromMilliseconds(10),
    };

    private readonly FakeAggregator _aggregator = new();
    private readonly RecordingTarget _target = new();

    private ServiceConfig Services() => new(_aggregator, options: Fast, reports: _target);

    private ServiceCatalog Catalog() =>
        new(_aggregator, new ServiceCatalogOptions { Client = Fast, RetryInterval = TimeSpan.FromMilliseconds(10) }, reports: _target);

    [Fact]
    public async Task A_change_handler_is_in_the_report_beside_a_full_handler_and_both_reach_the_union()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        await using var config = Services();
        var full = new FullHandler();
        var changes = new ChangeHandler();
        config.RegisterHandler(full);
        var registration = config.RegisterHandler(changes);
        _aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")]);

        var report = await _target.Until(r => r.Applied == _aggregator.Version, "both handlers at the union's version");

        Assert.Equal("services", report.Kind);
        Assert.Equal([typeof(FullHandler).FullName!, typeof(ChangeHandler).FullName!], report.Handlers);
        Assert.Equal(_aggregator.Version, report.Received);
        Assert.Equal(_aggregator.Version, registration.AppliedVersion);
        Assert.Null(report.LastError);
    }

    [Fact]
    public async Task The_applied_version_is_the_slowest_handlers_even_when_that_is_a_change_handler()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        var first = _aggregator.Version;
        await using var config = Services();
        var full = new FullHandler();
        var changes = new ChangeHandler();
        config.RegisterHandler(full);
        config.RegisterHandler(changes);
        await _target.Until(r => r.Applied == first, "both handlers at the first version");

        changes.Hold();
        _aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")]);
        await Eventually.Until(() => full.Calls == 2 && changes.Waiting, "the full handler took the change, the change handler is held");
        var behind = await _target.Until(r => r.Received == _aggregator.Version, "the new version received");

        Assert.Equal(first, behind.Applied);
        changes.Release();
        await _target.Until(r => r.Applied == _aggregator.Version && r.BehindFor == TimeSpan.Zero, "the change handler caught up");
    }

    [Fact]
    public async Task A_change_that_does_not_touch_the_kind_moves_a_caught_up_subscribers_applied_version()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        await using var config = Services();
        var changes = new ChangeHandler();
        var registration = config.RegisterHandler(changes);
        await _target.Until(r => r.Applied == _aggregator.Version, "the change handler applied the union");
        var called = changes.Calls;

        _aggregator.Publish("etcd", endpoints: [VersionedEndpoints("default", "web")]);

        // The handler is not called (no service changed), yet it holds what the union's version holds.
        await _target.Until(r => r.Applied == _aggregator.Version, "the endpoints-only version as applied");
        Assert.Equal(called, changes.Calls);
    }

    [Fact]
    public async Task A_throwing_change_handler_is_reported_with_its_error_until_it_returns()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        await using var config = Services();
        var changes = new ChangeHandler { Throw = true };
        config.RegisterHandler(changes);

        var failing = await _target.Until(r => r.LastError is not null, "the handler's error");

        Assert.Equal($"{typeof(ChangeHandler).FullName!}: InvalidOperationException: cannot apply", failing.LastError);
        Assert.NotNull(failing.LastErrorAt);
        Assert.Null(failing.Applied);
        changes.Throw = false;
        await _target.Until(r => r.LastError is null && r.Applied == _aggregator.Version, "the error cleared once it returned");
    }

    [Fact]
    public async Task The_catalog_reports_kind_catalog_with_its_handlers_at_the_unions_version()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")], endpoints: [VersionedEndpoints("default", "web")]);
        await using var catalog = Catalog();
        var keys = new KeysHandler();
        catalog.RegisterHandler(keys);
        await catalog.WaitForSyncAsync().Within();
        _aggregator.Publish("file", [Versioned("default", "db")]);

        var report = await _target.Until(r => r.Applied == _aggregator.Version, "the catalog handler at the union's version");

        Assert.Equal("catalog", report.Kind);
        Assert.Equal([typeof(KeysHandler).FullName!], report.Handlers);
        Assert.Equal(_aggregator.Version, report.Received);
        Assert.Equal(TimeSpan.Zero, report.BehindFor);
        Assert.Equal(0, report.Resyncs);
        Assert.Null(report.LastError);
    }

    [Fact]
    public async Task A_catalog_handler_held_up_keeps_the_applied_version_back_and_one_that_throws_is_its_last_error()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        var first = _aggregator.Version;
        await using var catalog = Catalog();
        var keys = new KeysHandler();
        catalog.RegisterHandler(keys);
        await _target.Until(r => r.Applied == first, "the first version applied");

        keys.Throw = true;
        _aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")]);
        var failing = await _target.Until(r => r.LastError is not null && r.Received == _aggregator.Version, "the error");

        Assert.Equal(first, failing.Applied);
        Assert.Equal($"{typeof(KeysHandler).FullName!}: InvalidOperationException: cannot apply", failing.LastError);
        keys.Throw = false;
        await _target.Until(r => r.Applied == _aggregator.Version && r.LastError is null, "the retry applied the change");
    }

    [Fact]
    public async Task A_catalog_without_handlers_reports_what_it_received_and_nothing_applied_and_counts_resyncs()
    {
        _aggregator.Publish("etcd", [Versioned("default", "web")]);
        await using var catalog = Catalog();
        await catalog.WaitForSyncAsync().Within();

        _aggregator.Reactivate();
        _aggregator.Publish("etcd", [Versioned("default", "web", rev: "2")]);

        var report = await _target.Until(r => r.Resyncs >= 1 && r.Received == _aggregator.Version, "the resync");
        Assert.Equal("catalog", report.Kind);
        Assert.Empty(report.Handlers);
        Assert.Null(report.Applied);
    }

    [Fact]
    public async Task Disposing_the_catalog_removes_its_entry()
    {
        var catalog = Catalog();
        var first = await _target.Until(_ => true, "a first report");

        await catalog.DisposeAsync().Within();

        Assert.Equal([first.Instance], _target.Removed);
    }

    private sealed class FullHandler : IServiceConfigHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task OnUpdate(IReadOnlyList<Service> services)
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        }
    }

    private sealed class ChangeHandler : IServiceChangeHandler
    {
        private TaskCompletionSource? _gate;
        private int _calls;
        private bool _throw;
        private bool _waiting;

        public bool Throw
        {
            get => Volatile.Read(ref _throw);
            set => Volatile.Write(ref _throw, value);
        }

        public int Calls => Volatile.Read(ref _calls);

        public bool Waiting => Volatile.Read(ref _waiting);

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate?.SetResult();

        public async Task OnChanges(ConfigChanges<Service> changes)
        {
            Interlocked.Increment(ref _calls);
            if (Throw) throw new InvalidOperationException("cannot apply");
            if (_gate is { } gate)
            {
                Volatile.Write(ref _waiting, true);
                await gate.Task;
            }
        }
    }

    private sealed class KeysHandler : ICatalogChangeHandler
    {
        private bool _throw;

        public bool Throw
        {
            get => Volatile.Read(ref _throw);
            set => Volatile.Write(ref _throw, value);
        }

        public Task OnChanged(IReadOnlyCollection<ObjectKey> keys) =>
            Throw ? Task.FromException(new InvalidOperationException("cannot apply")) : Task.CompletedTask;
    }
}
