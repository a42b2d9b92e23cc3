using OrleansConfig.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdSyncStateTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EtcdSyncState _state =
        new(TimeSpan.FromSeconds(30), Backoff.Jittered(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), new Random(1)));

    [Fact]
    public void A_new_source_lists_first()
    {
        Assert.True(_state.NeedsList);
        Assert.Equal(DateTimeOffset.MaxValue, _state.ResyncDue);
    }

    [Fact]
    public void After_a_list_it_watches_from_the_next_revision_and_resyncs_a_period_later()
    {
        _state.Listed(41, Now);

        Assert.False(_state.NeedsList);
        Assert.Equal(42, _state.WatchFrom);
        Assert.Equal(Now.AddSeconds(30), _state.ResyncDue);
    }

    [Fact]
    public void Applied_revisions_move_the_watch_start_forward_only()
    {
        _state.Listed(10, Now);
        _state.Applied(12);
        _state.Applied(11);

        Assert.Equal(13, _state.WatchFrom);
        Assert.False(_state.IsNew(12));
        Assert.True(_state.IsNew(13));
    }

    [Fact]
    public void A_compacted_start_revision_means_list_again()
    {
        _state.Listed(10, Now);

        Assert.Equal(WatchStep.Relist, _state.Decide(new EtcdWatchResponse { Canceled = true, CompactRevision = 50 }));
        Assert.True(_state.NeedsList);
    }

    [Fact]
    public void A_watch_canceled_for_another_reason_is_a_failure_that_keeps_the_revision()
    {
        _state.Listed(10, Now);

        Assert.Equal(WatchStep.Fail, _state.Decide(new EtcdWatchResponse { Canceled = true, CancelReason = "permission denied" }));
        Assert.False(_state.NeedsList);
        Assert.Equal(11, _state.WatchFrom);
    }

    [Fact]
    public void Responses_are_an_established_watch_events_or_nothing()
    {
        Assert.Equal(WatchStep.Established, _state.Decide(new EtcdWatchResponse { Created = true }));
        Assert.Equal(WatchStep.Apply, _state.Decide(new EtcdWatchResponse { Events = [EtcdEvent.Delete("/k", 3)] }));
        Assert.Equal(WatchStep.None, _state.Decide(new EtcdWatchResponse { HeaderRevision = 9 }));
    }

    [Fact]
    public void Failures_back_off_until_progress_is_applied()
    {
        var first = _state.Failed();
        _state.Failed();
        _state.Failed();
        var fourth = _state.Failed();
        Assert.True(fourth > first, $"{fourth} should exceed {first}");

        _state.Decide(new EtcdWatchResponse { Created = true });
        Assert.InRange(_state.Failed().TotalMilliseconds, 800, 1600);

        _state.Applied(12);
        Assert.InRange(_state.Failed().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void A_list_resets_the_backoff()
    {
        for (var i = 0; i < 5; i++) _state.Failed();

        _state.Listed(3, Now);

        Assert.InRange(_state.Failed().TotalMilliseconds, 50, 100);
    }
}
