using OrleansConfig.State;
using Xunit;

namespace OrleansConfig.Tests.State;

public sealed class SourceLivenessTests
{
    private static readonly DateTimeOffset Heard = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static SourceLiveness Liveness(TimeSpan? staleAfter, TimeSpan? dropAfter = null) =>
        new(new SourceLifetime { StaleAfter = staleAfter, DropAfter = dropAfter });

    [Fact]
    public void A_source_heard_at_t_is_fresh_until_t_plus_StaleAfter_and_stale_from_then()
    {
        var liveness = Liveness(Minute);

        Assert.False(liveness.IsStale(Heard, Heard + Minute - TimeSpan.FromTicks(1)));
        Assert.True(liveness.IsStale(Heard, Heard + Minute));
        Assert.False(liveness.ShouldDrop(Heard, Heard + TimeSpan.FromDays(365)));
    }

    [Fact]
    public void A_source_is_dropped_from_t_plus_DropAfter_and_is_stale_by_then_too()
    {
        var liveness = Liveness(Minute, 5 * Minute);

        Assert.False(liveness.ShouldDrop(Heard, Heard + 5 * Minute - TimeSpan.FromTicks(1)));
        Assert.True(liveness.ShouldDrop(Heard, Heard + 5 * Minute));
        Assert.True(liveness.IsStale(Heard, Heard + 5 * Minute));
    }

    [Fact]
    public void With_only_DropAfter_a_source_turns_stale_when_it_is_dropped()
    {
        var liveness = Liveness(null, 5 * Minute);

        Assert.False(liveness.IsStale(Heard, Heard + 4 * Minute));
        Assert.True(liveness.IsStale(Heard, Heard + 5 * Minute));
    }

    [Fact]
    public void Being_heard_again_clears_stale_and_drop()
    {
        var liveness = Liveness(Minute, 5 * Minute);
        var later = Heard + 10 * Minute;
        Assert.True(liveness.ShouldDrop(Heard, later));

        Assert.False(liveness.IsStale(later, later));
        Assert.False(liveness.ShouldDrop(later, later));
    }

    [Fact]
    public void The_next_deadline_is_stale_then_drop_then_none()
    {
        var liveness = Liveness(Minute, 5 * Minute);

        Assert.Equal(Heard + Minute, liveness.NextDeadline(Heard, Heard));
        Assert.Equal(Heard + 5 * Minute, liveness.NextDeadline(Heard, Heard + Minute));
        Assert.Null(liveness.NextDeadline(Heard, Heard + 5 * Minute));
    }

    [Fact]
    public void Without_settings_nothing_is_watched()
    {
        var liveness = Liveness(null);

        Assert.False(liveness.Enabled);
        Assert.False(liveness.IsStale(Heard, Heard + TimeSpan.FromDays(365)));
        Assert.Null(liveness.NextDeadline(Heard, Heard));
    }

    [Fact]
    public void A_source_own_StaleAfter_beats_the_default_and_others_take_the_default()
    {
        var options = new SourceLifetimeOptions { StaleAfter = 5 * Minute };
        options.Sources["etcd"] = new SourceLifetime { StaleAfter = Minute, DropAfter = 10 * Minute };
        options.Sources["api"] = new SourceLifetime { DropAfter = 10 * Minute };

        Assert.Equal((Minute, 10 * Minute), Pair(options.For("etcd")));
        Assert.Equal((5 * Minute, 10 * Minute), Pair(options.For("api")));
        Assert.Equal((5 * Minute, (TimeSpan?)null), Pair(options.For("manual")));
        Assert.Equal((Minute, 10 * Minute), Pair(options.For("ETCD")));
    }

    private static (TimeSpan?, TimeSpan?) Pair(SourceLifetime lifetime) => (lifetime.StaleAfter, lifetime.DropAfter);
}
