using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class ServiceConfigTests
{
    private static readonly ConfigClientOptions Fast = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
        ApplyRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Channel_returns_the_same_writer_for_the_same_source()
    {
        await using var config = new ServiceConfig(new FakeAggregator(), options: Fast);

        Assert.Same(config.Channel("etcd"), config.Channel("etcd"));
        Assert.NotSame(config.Channel("etcd"), config.Channel("file"));
    }

    [Fact]
    public async Task Updates_written_to_a_channel_reach_their_source_in_order()
    {
        var aggregator = new FakeAggregator();
        await using var config = new ServiceConfig(aggregator, options: Fast);

        var etcd = config.Channel("etcd");
        for (var i = 1; i <= 20; i++) await etcd.WriteAsync(new ServiceUpdate(Operation.Add, [Versioned("default", $"s{i}")]));
        config.Channel("file").TryWrite(new ServiceUpdate(Operation.Set, []));
        await Eventually.Until(() => Names(aggregator, "etcd").Length == 20 && Names(aggregator, "file") is [], "every update is applied");

        // Writes queued behind a call in flight may be folded into one Add; their items keep their order.
        var fromEtcd = Names(aggregator, "etcd");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"s{i}"), fromEtcd);
        Assert.Equal(Operation.Set, aggregator.Applied.Single(a => a.Source == "file").Update.Services!.Op);
    }

    private static string[] Names(FakeAggregator aggregator, string source) =>
        [.. aggregator.Applied.Where(a => a.Source == source).SelectMany(a => a.Update.Services!.Services).Select(s => s.Metadata.Name)];

    [Fact]
    public async Task Folded_writes_refused_together_are_resent_one_by_one()
    {
        var aggregator = new FakeAggregator
        {
            ApplyHandler = (_, update, _) => Task.FromResult(update.Services!.Services.Any(s => s.Metadata.Name == "refused")
                ? ApplyResult.Rejected([new FieldError("services", "refused by the test")])
                : new ApplyResult { Accepted = true }),
        };
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        var inner = aggregator.ApplyHandler;
        aggregator.ApplyHandler = async (s, u, ct) =>
        {
            if (first)
            {
                first = false;
                await gate.Task.WaitAsync(ct);
            }
            return await inner(s, u, ct);
        };
        await using var config = new ServiceConfig(aggregator, options: Fast);

        var writer = config.Channel("manual");
        writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "head")]));
        await Eventually.Until(() => !first, "the first call is in flight");
        foreach (var name in new[] { "a", "refused", "b" }) writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", name)]));
        gate.SetResult();
        await Eventually.Until(() => Names(aggregator, "manual").Contains("b"), "the writes after the refused one");

        Assert.Equal(["head", "a", "b"], Names(aggregator, "manual"));
    }

    [Fact]
    public async Task A_refused_update_is_logged_with_its_field_errors_and_the_next_one_still_goes()
    {
        var loggers = new CapturingLoggerFactory();
        var aggregator = new FakeAggregator
        {
            ApplyHandler = (_, update, _) => Task.FromResult(update.Services!.Services[0].Metadata.Name == "bad"
                ? ApplyResult.Rejected([new FieldError("items[0].spec.ports[0].port", "must be between 1 and 65535, got 70000")])
                : new ApplyResult { Accepted = true }),
        };
        await using var config = new ServiceConfig(aggregator, loggers, Fast);

        var writer = config.Channel("manual");
        writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "bad")]));
        writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "good")]));
        await Eventually.Until(() => Names(aggregator, "manual").Contains("good"), "the good update is applied");

        Assert.Equal(["good"], Names(aggregator, "manual"));
        Assert.True(loggers.Contains(LogLevel.Warning, "items[0].spec.ports[0].port: must be between 1 and 65535, got 70000"));
        Assert.True(loggers.Contains(LogLevel.Warning, "manual"));
    }

    [Fact]
    public async Task An_update_that_cannot_reach_the_cluster_is_retried_until_it_does()
    {
        var failures = 3;
        var aggregator = new FakeAggregator
        {
            ApplyHandler = (_, _, _) => Interlocked.Decrement(ref failures) >= 0
                ? throw new TimeoutException("fake: silo unreachable")
                : Task.FromResult(new ApplyResult { Accepted = true }),
        };
        await using var config = new ServiceConfig(aggregator, options: Fast);

        var writer = config.Channel("etcd");
        writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "first")]));
        writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "second")]));
        await Eventually.Until(() => Names(aggregator, "etcd").Length == 2, "both updates are applied");

        Assert.Equal(["first", "second"], Names(aggregator, "etcd"));
    }

    [Fact]
    public async Task Disposing_sends_the_writes_already_accepted()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aggregator = new FakeAggregator
        {
            ApplyHandler = async (_, _, ct) =>
            {
                await gate.Task.WaitAsync(ct);
                return new ApplyResult { Accepted = true };
            },
        };
        var config = new ServiceConfig(aggregator, options: Fast);
        var writer = config.Channel("etcd");
        for (var i = 0; i < 5; i++) writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", $"s{i}")]));

        var disposing = config.DisposeAsync().AsTask();
        Assert.False(writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", "too-late")])));
        gate.SetResult();
        await disposing.Within();

        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], Names(aggregator, "etcd"));
        Assert.Throws<ObjectDisposedException>(() => config.Channel("etcd"));
        Assert.Throws<ObjectDisposedException>(() => config.RegisterHandler(_ => Task.CompletedTask));
    }

    [Fact]
    public async Task Disposing_gives_up_on_a_cluster_that_never_answers()
    {
        var loggers = new CapturingLoggerFactory();
        var aggregator = new FakeAggregator
        {
            ApplyHandler = async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return new ApplyResult { Accepted = true };
            },
        };
        var config =
            new ServiceConfig(aggregator, loggers,
            new ConfigClientOptions { ProbeInterval = TimeSpan.Zero, DisposeTimeout = TimeSpan.FromMilliseconds(50) });
        var writer = config.Channel("etcd");
        for (var i = 0; i < 3; i++) writer.TryWrite(new ServiceUpdate(Operation.Add, [Versioned("default", $"s{i}")]));

        await config.DisposeAsync().Within();

        Assert.True(loggers.Contains(LogLevel.Warning, "3 updates were not sent"));
    }

    [Fact]
    public async Task WaitForSyncAsync_completes_once_the_first_snapshot_is_in()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        aggregator.Publish("etcd", [Versioned("default", "web")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);

        var sync = config.WaitForSyncAsync();
        Assert.False(sync.IsCompleted);
        Assert.Empty(config.Config());
        aggregator.SnapshotGate.SetResult();
        await sync.Within();

        Assert.Equal(aggregator.Version, config.Version);
        Assert.Equal([new ObjectKey("default", "web")], config.Config()["etcd"].Keys);
    }

    [Fact]
    public async Task WaitForSyncAsync_honours_its_cancellation_token()
    {
        var aggregator = new FakeAggregator { SnapshotGate = new TaskCompletionSource() };
        await using var config = new ServiceConfig(aggregator, options: Fast);
        using var cancel = new CancellationTokenSource();

        var sync = config.WaitForSyncAsync(cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
    }

    [Fact]
    public async Task Config_holds_each_sources_items_by_key()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("etcd", [Versioned("default", "web", rev: "e")]);
        aggregator.Publish("file", [Versioned("default", "web", rev: "f"), Versioned("other", "web", rev: "o")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);
        await config.WaitForSyncAsync().Within();

        var byName = config.Config();

        Assert.Equal(["etcd", "file"], byName.Keys);
        Assert.Equal("e", byName["etcd"][new ObjectKey("default", "web")].Rev());
        Assert.Equal("f", byName["file"][new ObjectKey("default", "web")].Rev());
        Assert.Equal("o", byName["file"][new ObjectKey("other", "web")].Rev());
    }

    [Fact]
    public async Task Handlers_get_the_whole_union_in_order_and_each_later_change()
    {
        var aggregator = new FakeAggregator();
        aggregator.Publish("file", [Versioned("default", "web")]);
        await using var config = new ServiceConfig(aggregator, options: Fast);
        await config.WaitForSyncAsync().Within();
        var seen = new ConcurrentQueue<string[]>();
        var handler = new RecordingHandler();

        config.RegisterHandler(services =>
        {
            seen.Enqueue(services.Describe());
            return Task.CompletedTask;
        });
        config.RegisterHandler(handler);
        await Eventually.Until(() => seen.Count == 1 && handler.Calls.Count == 1, "late registration delivers the current union");
        aggregator.Publish("etcd", [Versioned("default", "web"), Versioned("a", "z")]);
        await Eventually.Until(() => seen.Count == 2 && handler.Calls.Count == 2, "the change is delivered");

        Assert.Equal([["default/web@file"], ["a/z@etcd", "default/web@etcd", "default/web@file"]], seen);
        Assert.Equal(seen, handler.Calls);
    }

    [Fact]
    public async Task A_handler_is_not_called_for_changes_to_the_other_kind()
    {
        var aggregator = new FakeAggregator();
        await using var config = new EndpointsConfig(aggregator, options: Fast);
        var calls = new ConcurrentQueue<string[]>();
        config.RegisterHandler(endpoints =>
        {
            calls.Enqueue(endpoints.Describe());
            return Task.CompletedTask;
        });
        await Eventually.Until(() => calls.Count == 1, "the first (empty) union");

        aggregator.Publish("etcd", services: [Versioned("default", "web")]);
        aggregator.Publish("etcd", endpoints: [VersionedEndpoints("default", "web")]);
        await Eventually.Until(() => calls.Count == 2, "the endpoints change");

        Assert.Equal([[], ["default/web@etcd"]], calls);
        Assert.Equal(new UnionVersion(aggregator.Epoch, 2), config.Version);
    }

    [Fact]
    public async Task Handlers_never_see_an_older_union_after_a_newer_one_across_resyncs_and_epochs()
    {
        var aggregator = new FakeAggregator();
        var lossy = new LossyBackend(aggregator) { Keep = d => d.Version.Version % 7 != 0 };
        await using var config = new ServiceConfig(lossy, options: Fast);
        var revs = new ConcurrentQueue<int>();
        config.RegisterHandler(services =>
        {
            if (services.Count > 0) revs.Enqueue(int.Parse(services.Single().Rev()));
            return Task.CompletedTask;
        });
        await config.WaitForSyncAsync().Within();

        // One item, rewritten with a growing rev; every seventh delta is lost and the epoch changes halfway.
        for (var rev = 1; rev <= 100; rev++)
        {
            if (rev == 50) aggregator.Reactivate();
            aggregator.Publish("etcd", [Versioned("default", "counter", rev: rev.ToString())]);
        }
        await Eventually.Until(() => revs.LastOrDefault() == 100, "the handler sees the last rev");

        Assert.True(lossy.Dropped > 0);
        Assert.True(config.ResyncCount > 0);
        Assert.Equal(revs.Order(), revs);
        Assert.Equal(revs.Distinct(), revs);
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        await using var config = new ServiceConfig(new FakeAggregator(), options: Fast);

        Assert.Throws<ArgumentNullException>(() => config.RegisterHandler((IServiceConfigHandler)null!));
        Assert.Throws<ArgumentNullException>(() => config.RegisterHandler((Func<IReadOnlyList<Service>, Task>)null!));
        Assert.ThrowsAny<ArgumentException>(() => config.Channel(""));
        Assert.Throws<ArgumentNullException>(() => new ServiceConfig((IClusterClient)null!));
    }

    private sealed class RecordingHandler : IServiceConfigHandler
    {
        public ConcurrentQueue<string[]> Calls { get; } = new();

        public Task OnUpdate(IReadOnlyList<Service> services)
        {
            Calls.Enqueue(services.Describe());
            return Task.CompletedTask;
        }
    }
}
