using OrleansConfig.State;
using OrleansConfig.Validation;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Validation;

public sealed class DeletionGuardTests
{
    private static (SourceUpdate Update, SourceDelta Delta, int Before) SetKeeping(int have, int keep, bool force = false)
    {
        var state = new SourceState("etcd");
        state.Commit(
            state.Plan(new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, have).Select(i => Service($"s{i}"))]),
            DateTimeOffset.UnixEpoch));
        var update =
            new SourceUpdate { Services = new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, keep).Select(i => Service($"s{i}"))]),
            Force = force };
        return (update, state.Plan(update, DateTimeOffset.UnixEpoch), state.Services.Count);
    }

    [Fact]
    public void Set_removing_more_than_the_limit_is_refused_with_the_figures()
    {
        var (update, delta, before) = SetKeeping(100, 20);

        var refused = DeletionGuard.Check("etcd", update, delta, before, new DeletionGuardOptions { MaxRemovePercent = 50 });

        Assert.Equal(
            "would remove 80 of the source's 100 items (80%), over its deletion limit of 50%; send it again with force to apply it",
            refused?.Message);
    }

    [Fact]
    public void A_set_of_slices_counts_the_slices_and_the_endpoints_merged_from_them()
    {
        var state = new SourceState("etcd");
        var slices = Enumerable.Range(0, 20).Select(i => Tests.State.SourceStateSliceTests.Slice($"s{i}-1", $"s{i}", "IPv4", "10.0.0.1")).ToArray();
        var added = state.Plan(new EndpointSliceUpdate(Operation.Add, slices), DateTimeOffset.UnixEpoch, out var addedSlices);
        state.Commit(added, addedSlices);
        var update = new SourceUpdate { EndpointSlices = new EndpointSliceUpdate(Operation.Set, []) };
        var delta = state.Plan(update, DateTimeOffset.UnixEpoch, out var change);

        var refused = DeletionGuard.Check("etcd", update, delta, state.Slices.Count + state.Endpoints.Count,
            new DeletionGuardOptions { MaxRemovePercent = 50 }, change);

        Assert.Equal(
            "would remove 40 of the source's 40 items (100%), over its deletion limit of 50%; send it again with force to apply it",
            refused?.Message);
        Assert.Null(DeletionGuard.Check("etcd", update with { Force = true }, delta, 40, new DeletionGuardOptions { MaxRemovePercent = 50 }, change));
    }

    [Fact]
    public void Set_within_the_limit_passes()
    {
        var (update, delta, before) = SetKeeping(100, 60);

        Assert.Null(DeletionGuard.Check("etcd", update, delta, before, new DeletionGuardOptions { MaxRemovePercent = 50 }));
    }

    [Fact]
    public void Forced_set_passes_whatever_it_removes()
    {
        var (update, delta, before) = SetKeeping(100, 0, force: true);

        Assert.Null(DeletionGuard.Check("etcd", update, delta, before, new DeletionGuardOptions { MaxRemovePercent = 10 }));
    }

    [Fact]
    public void Guard_is_off_by_default()
    {
        var (update, delta, before) = SetKeeping(100, 0);

        Assert.Null(DeletionGuard.Check("etcd", update, delta, before, new DeletionGuardOptions()));
    }

    [Fact]
    public void Per_source_limit_overrides_the_default()
    {
        var (update, delta, before) = SetKeeping(100, 60);
        var options = new DeletionGuardOptions { MaxRemovePercent = 90, Sources = { ["etcd"] = 30 } };

        Assert.NotNull(DeletionGuard.Check("etcd", update, delta, before, options));
        Assert.Null(DeletionGuard.Check("file", update, delta, before, options));
    }

    [Fact]
    public void Small_sources_are_not_guarded()
    {
        var (update, delta, before) = SetKeeping(5, 0);

        Assert.Null(DeletionGuard.Check("etcd", update, delta, before, new DeletionGuardOptions { MaxRemovePercent = 10 }));
    }
}
