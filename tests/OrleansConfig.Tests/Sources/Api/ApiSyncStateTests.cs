using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiSyncStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ApiSyncState New(TimeSpan? resync = null) =>
        new(resync ?? TimeSpan.Zero, Backoff.Jittered(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(1)));

    [Fact]
    public void An_empty_version_lists_first()
    {
        var state = New();

        Assert.True(state.NeedsList);
        Assert.Equal("", state.ResourceVersion);
    }

    [Fact]
    public void A_list_sets_the_version_to_watch_from_and_events_and_bookmarks_move_it_on()
    {
        var state = New();

        state.Listed("10", Now);
        Assert.Equal(("10", false), (state.ResourceVersion, state.NeedsList));
        state.Advanced("12");
        Assert.Equal("12", state.ResourceVersion);
        state.Advanced("");
        Assert.Equal("12", state.ResourceVersion);
    }

    [Theory]
    [InlineData(nameof(ApiErrorKind.Timeout), true)]
    [InlineData(nameof(ApiErrorKind.Disconnected), false)]
    public void A_timeout_or_a_broken_watch_keeps_the_version_and_backs_off(string kind, bool failing)
    {
        var error = Enum.Parse<ApiErrorKind>(kind);
        var state = New();
        state.Listed("10", Now);

        var delay = state.Failed(error);

        Assert.Equal(("10", false, failing), (state.ResourceVersion, state.NeedsList, state.Failing));
        Assert.InRange(delay, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_watch_error_resets_to_a_list()
    {
        var state = New();
        state.Listed("10", Now);

        state.Failed(ApiErrorKind.Failed);

        Assert.True(state.NeedsList);
        Assert.True(state.Failing);
    }

    [Fact]
    public void A_410_lists_again_at_once_but_backs_off_when_it_repeats_without_progress()
    {
        var state = New();
        state.Listed("10", Now);

        Assert.Equal(TimeSpan.Zero, state.Failed(ApiErrorKind.Gone));
        Assert.True(state.NeedsList);
        Assert.False(state.Failing);
        state.Listed("20", Now);
        Assert.True(state.Failed(ApiErrorKind.Gone) > TimeSpan.Zero);

        state.Listed("30", Now);
        state.Advanced("31");
        Assert.Equal(TimeSpan.Zero, state.Failed(ApiErrorKind.Gone));
    }

    [Fact]
    public void Backoff_grows_to_its_cap_and_progress_resets_it()
    {
        var state = New();
        state.Listed("1", Now);

        var delays = Enumerable.Range(0, 8).Select(_ => state.Failed(ApiErrorKind.Timeout)).ToArray();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)));
        Assert.True(delays[^1] >= TimeSpan.FromMilliseconds(500));

        state.Advanced("2");
        Assert.False(state.Failing);
        Assert.InRange(state.Failed(ApiErrorKind.Timeout), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_resync_is_due_a_period_after_each_list_and_never_with_a_zero_period()
    {
        var state = New(TimeSpan.FromMinutes(1));
        state.Listed("1", Now);
        Assert.False(state.ResyncIsDue(Now.AddSeconds(59)));
        Assert.True(state.ResyncIsDue(Now.AddMinutes(1)));

        state.ResyncNow();
        Assert.True(state.NeedsList);

        var never = New();
        never.Listed("1", Now);
        Assert.Equal(DateTimeOffset.MaxValue, never.ResyncDue);
    }
}
