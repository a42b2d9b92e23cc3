using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class HandlerDispatcherTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static HandlerDispatcher<Service> Dispatcher(
        UnionView<Service> view,
        Func<IReadOnlyList<Service>, Task> handler,
        TimeSpan? minInterval = null,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null,
        TimeSpan? maxInterval = null) =>
        new("test", handler, view, minInterval ?? TimeSpan.Zero, TimeSpan.FromSeconds(5), time ?? TimeProvider.System,
            (loggers ?? NullLoggerFactory.Instance).CreateLogger<HandlerDispatcher<Service>>(), maxInterval);

    // Each state of the view is one service whose rev is the version, so a handler can tell states apart.
    private static void Push(UnionView<Service> view, HandlerDispatcher<Service>? dispatcher, long version)
    {
        view.ApplySnapshot(V(Epoch, version), [Versioned("default", "web", "etcd", rev: version.ToString())]);
        dispatcher?.Signal();
    }

    [Fact]
    public async Task Slow_handler_sees_only_the_latest_pending_version()
    {
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var seen = new ConcurrentQueue<string>();
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var overlapped = false;

        await using var dispatcher = Dispatcher(view, async items =>
        {
            if (Interlocked.Increment(ref running) > 1) overlapped = true;
            seen.Enqueue(items.Single().Rev());
            if (seen.Count == 1)
            {
                firstCall.SetResult();
                await release.Task;
            }
            Interlocked.Decrement(ref running);
        });
        dispatcher.Start();
        await firstCall.Task.Within();

        for (var version = 2; version <= 10; version++) Push(view, dispatcher, version);
        release.SetResult();
        await Eventually.Until(() => seen.Count == 2, "the handler is called again");
        await dispatcher.DisposeAsync();

        Assert.Equal(["1", "10"], seen);
        Assert.False(overlapped);
    }

    [Fact]
    public async Task Handler_is_never_called_concurrently_and_ends_on_the_last_state()
    {
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var running = 0;
        var maxRunning = 0;
        var last = "";
        var versions = new ConcurrentQueue<long>();

        await using var dispatcher = Dispatcher(view, async items =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Yield();
            last = items.Single().Rev();
            versions.Enqueue(long.Parse(last));
            Interlocked.Decrement(ref running);
        });
        dispatcher.Start();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++) dispatcher.Signal();
        })));
        for (var version = 2; version <= 300; version++) Push(view, dispatcher, version);
        await Eventually.Until(() => Volatile.Read(ref last) == "300", "the handler sees the last state");

        Assert.Equal(1, maxRunning);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct(), versions);
    }

    [Fact]
    public async Task Calls_start_at_least_MinInterval_apart()
    {
        var time = new ManualTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var calls = new ConcurrentQueue<(string Rev, DateTimeOffset At)>();

        await using var dispatcher = Dispatcher(view, items =>
        {
            calls.Enqueue((items.Single().Rev(), time.GetUtcNow()));
            return Task.CompletedTask;
        }, interval, time);
        dispatcher.Start();
        await Eventually.Until(() => calls.Count == 1, "the first call, which is not delayed");
        var start = time.GetUtcNow();

        Push(view, dispatcher, 2);
        await Eventually.Until(() => time.ActiveTimers == 1, "the dispatcher waits out the interval");
        Push(view, dispatcher, 3);
        time.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.Single(calls);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.Until(() => calls.Count == 2, "the second call, once the interval has passed");

        Assert.Equal([("1", start), ("3", start + interval)], calls);
    }

    [Fact]
    public async Task A_change_after_a_quiet_spell_longer_than_MinInterval_is_delivered_at_once()
    {
        var time = new ManualTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var calls = new ConcurrentQueue<string>();

        await using var dispatcher = Dispatcher(view, items =>
        {
            calls.Enqueue(items.Single().Rev());
            return Task.CompletedTask;
        }, interval, time);
        dispatcher.Start();
        await Eventually.Until(() => calls.Count == 1, "the first call");

        time.Advance(interval * 2);
        Push(view, dispatcher, 2);

        await Eventually.Until(() => calls.Count == 2, "the second call, without a timer");
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public async Task Throwing_handler_is_logged_and_keeps_getting_later_calls()
    {
        var loggers = new CapturingLoggerFactory();
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var calls = new ConcurrentQueue<string>();

        await using var dispatcher = Dispatcher(view, items =>
        {
            calls.Enqueue(items.Single().Rev());
            throw new InvalidOperationException("handler broke on rev " + items.Single().Rev());
        }, loggers: loggers);
        dispatcher.Start();
        await Eventually.Until(() => calls.Count == 1, "the first call");
        Push(view, dispatcher, 2);
        await Eventually.Until(() => calls.Count == 2, "the next call after a failure");

        Assert.Equal(["1", "2"], calls);
        await Eventually.Until(() => loggers.Entries.Count(e => e.Level == LogLevel.Error) == 2, "both failures are logged");
        Assert.All(loggers.Entries, e => Assert.IsType<InvalidOperationException>(e.Exception));
    }

    [Fact]
    public async Task Late_registration_gets_the_current_state_at_once()
    {
        var view = new UnionView<Service>();
        Push(view, null, 7);
        var called = new TaskCompletionSource<IReadOnlyList<Service>>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var dispatcher = Dispatcher(view, items =>
        {
            called.TrySetResult(items);
            return Task.CompletedTask;
        });
        dispatcher.Start();

        Assert.Equal("7", (await called.Task.Within()).Single().Rev());
    }

    [Fact]
    public async Task No_call_before_the_first_snapshot_then_the_first_snapshot_even_when_empty()
    {
        var view = new UnionView<Service>();
        var called = new TaskCompletionSource<IReadOnlyList<Service>>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var dispatcher = Dispatcher(view, items =>
        {
            called.TrySetResult(items);
            return Task.CompletedTask;
        });
        dispatcher.Start();
        dispatcher.Signal();
        Assert.Equal(0, dispatcher.Delivered);

        view.ApplySnapshot(V(Epoch, 0), []);
        dispatcher.Signal();

        Assert.Empty(await called.Task.Within());
        Assert.Equal(1, dispatcher.Delivered);
    }

    [Fact]
    public async Task Disposal_does_not_wait_forever_for_a_handler_that_never_returns()
    {
        var loggers = new CapturingLoggerFactory();
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new HandlerDispatcher<Service>("stuck", _ =>
        {
            entered.TrySetResult();
            return new TaskCompletionSource().Task;
        }, view, TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeProvider.System, loggers.CreateLogger<HandlerDispatcher<Service>>());
        dispatcher.Start();
        await entered.Task.Within();

        await dispatcher.DisposeAsync().Within();

        Assert.True(loggers.Contains(LogLevel.Warning, "stuck"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
    [Fact]
    public async Task With_MaxInterval_the_handler_is_called_again_with_the_same_union_when_nothing_changes()
    {
        var time = new ManualTimeProvider();
        var max = TimeSpan.FromSeconds(30);
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var calls = new ConcurrentQueue<(string Rev, DateTimeOffset At)>();

        await using var dispatcher = Dispatcher(view, items =>
        {
            calls.Enqueue((items.Single().Rev(), time.GetUtcNow()));
            return Task.CompletedTask;
        }, time: time, maxInterval: max);
        dispatcher.Start();
        await Eventually.Until(() => calls.Count == 1 && time.ActiveTimers == 1, "the first call, then a wait of at most MaxInterval");
        var start = time.GetUtcNow();

        time.Advance(max - TimeSpan.FromTicks(1));
        Assert.Single(calls);
        time.Advance(TimeSpan.FromTicks(1));
        await Eventually.Until(() => calls.Count == 2 && time.ActiveTimers == 1, "the periodic call");

        // A change restarts the period: the next periodic call is MaxInterval after the change's call.
        time.Advance(TimeSpan.FromSeconds(10));
        Push(view, dispatcher, 2);
        await Eventually.Until(() => calls.Count == 3 && time.ActiveTimers == 1, "the change's call");
        time.Advance(max);
        await Eventually.Until(() => calls.Count == 4, "the periodic call after the change");

        Assert.Equal(
            [("1", start), ("1", start + max), ("2", start + max + TimeSpan.FromSeconds(10)), ("2", start + max + TimeSpan.FromSeconds(10) + max)],
            calls);
    }

    [Fact]
    public async Task Without_MaxInterval_nothing_calls_the_handler_but_a_change()
    {
        var time = new ManualTimeProvider();
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var calls = 0;

        await using var dispatcher = Dispatcher(view, _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }, time: time);
        dispatcher.Start();
        await Eventually.Until(() => Volatile.Read(ref calls) == 1, "the first call");

        Assert.Equal(0, time.ActiveTimers);
        time.Advance(TimeSpan.FromDays(1));
        Push(view, dispatcher, 2);
        await Eventually.Until(() => Volatile.Read(ref calls) == 2, "the change's call");
    }

    [Fact]
    public async Task The_registration_tells_whether_the_handler_has_synced_its_applied_version_and_its_last_error()
    {
        var time = new ManualTimeProvider();
        var view = new UnionView<Service>();
        Push(view, null, 1);
        var fail = true;
        var calls = 0;

        await using var dispatcher = Dispatcher(view, _ =>
        {
            Interlocked.Increment(ref calls);
            return Volatile.Read(ref fail) ? throw new InvalidOperationException("full handler broke") : Task.CompletedTask;
        }, time: time);
        dispatcher.Start();
        await Eventually.Until(() => dispatcher.Registration.LastError is not null, "the failed first call");

        Assert.False(dispatcher.Registration.HasSynced);
        Assert.Equal(default, dispatcher.Registration.AppliedVersion);
        Assert.Equal("full handler broke", dispatcher.Registration.LastError!.Message);
        Assert.False(dispatcher.Registration.Changes);
        Volatile.Write(ref fail, false);
        Push(view, dispatcher, 2);
        await dispatcher.Registration.WaitForSyncAsync().Within();

        Assert.Equal(V(Epoch, 2), dispatcher.Registration.AppliedVersion);
        Assert.Equal(2, calls);
    }
}
