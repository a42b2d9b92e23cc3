using OrleansConfig.Client.Reporting;
using Xunit;

namespace OrleansConfig.Tests.Subscribers;

public sealed class AppliedVersionsTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static UnionVersion V(long version) => new(Epoch, version);

    [Fact]
    public void A_generation_maps_to_the_newest_version_with_its_content()
    {
        var log = new AppliedVersions();
        log.Advance(1, V(3), timestamp: 100);
        // A change of the other kind: the version moves on, the content (generation) does not.
        log.Advance(1, V(4), timestamp: 110);
        log.Advance(2, V(6), timestamp: 120);

        Assert.Null(log.VersionAt(0));
        Assert.Equal(V(4), log.VersionAt(1));
        Assert.Equal(V(6), log.VersionAt(2));
    }

    [Fact]
    public void The_lag_starts_when_the_view_took_the_first_change_after_the_applied_generation()
    {
        var log = new AppliedVersions();
        log.Advance(1, V(1), timestamp: 100);
        log.Advance(2, V(2), timestamp: 200);
        log.Advance(3, V(3), timestamp: 300);

        Assert.Equal(100, log.FirstAfter(0));
        Assert.Equal(200, log.FirstAfter(1));
        Assert.Equal(300, log.FirstAfter(2));
        Assert.Null(log.FirstAfter(3));
    }

    [Fact]
    public void Pruning_keeps_what_the_slowest_handler_can_still_ask_about()
    {
        var log = new AppliedVersions();
        for (var g = 1; g <= 5; g++) log.Advance(g, V(g * 10), timestamp: g);

        log.Prune(3);

        Assert.Equal(3, log.Count);
        Assert.Equal(V(30), log.VersionAt(3));
        Assert.Equal(4, log.FirstAfter(3));
    }

    [Fact]
    public void A_stuck_handler_cannot_grow_it_past_its_capacity_and_keeps_its_lag_start()
    {
        var log = new AppliedVersions();
        for (var g = 1; g <= AppliedVersions.Capacity + 500; g++) log.Advance(g, V(g), timestamp: g);

        // Thinned in one pass when full (every other middle entry), so it stays between half and all of its capacity.
        Assert.InRange(log.Count, AppliedVersions.Capacity / 2, AppliedVersions.Capacity);
        Assert.Equal(V(1), log.VersionAt(1));
        Assert.Equal(2, log.FirstAfter(1));
        Assert.Equal(V(AppliedVersions.Capacity + 500), log.VersionAt(long.MaxValue));
    }
}
