using OrleansConfig.State;
using OrleansConfig.Validation;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Validation;

/// <summary>What the aggregator checks in a delta before the union sees it.</summary>
public sealed class DeltaValidatorTests
{
    private static readonly UpdateLimits Limits = new() { MaxItemsPerUpdate = 3 };

    private static SourceDelta Delta(string source = "a", int upserts = 0, int removes = 0) => new()
    {
        Source = source,
        PreviousSequence = 0,
        Sequence = 1,
        UpsertedServices = [.. Enumerable.Range(0, upserts).Select(i => Service($"s{i}"))],
        RemovedServices = [.. Enumerable.Range(0, removes).Select(i => new ObjectKey("default", $"r{i}"))],
    };

    [Fact]
    public void A_delta_within_the_limits_passes() => Assert.Empty(DeltaValidator.Validate(Delta(upserts: 3, removes: 3), Limits, (0, 0)));

    [Fact]
    public void A_bad_source_name_is_refused_with_the_rule()
    {
        var errors = DeltaValidator.Validate(Delta("Bad_Name"), Limits, (0, 0));

        Assert.Equal(
            "source: \"Bad_Name\" must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void More_upserts_than_one_update_may_carry_are_refused()
    {
        var errors = DeltaValidator.Validate(Delta(upserts: 4), Limits, (0, 0));

        Assert.Equal("upsertedServices: must have at most 3 items, got 4", Assert.Single(errors).ToString());
    }

    [Fact]
    public void A_set_may_remove_every_item_the_source_held_but_no_more()
    {
        Assert.Empty(DeltaValidator.Validate(Delta(removes: 10), Limits, (10, 0)));
        Assert.Equal("removedServices: must have at most 10 items, got 11",
            Assert.Single(DeltaValidator.Validate(Delta(removes: 11), Limits, (10, 0))).ToString());
        Assert.Equal("removedServices: must have at most 3 items, got 4",
            Assert.Single(DeltaValidator.Validate(Delta(removes: 4), Limits, (0, 0))).ToString());
    }

    [Fact]
    public void Null_lists_items_without_keys_and_a_backward_sequence_are_refused()
    {
        var delta = Delta() with
        {
            Sequence = 0,
            PreviousSequence = 2,
            UpsertedEndpoints = [new Endpoints { Metadata = new ObjectMeta { Name = "" } }],
            RemovedEndpoints = null!,
        };

        Assert.Equal(
        [
            "sequence: must be at least previousSequence 2, got 0",
            "upsertedEndpoints[0].metadata: must have a name and a namespace",
            "removedEndpoints: required",
        ], DeltaValidator.Validate(delta, Limits, null).Select(e => e.ToString()));
    }

    [Fact]
    public void The_removal_bound_is_what_the_union_holds_when_the_delta_follows_on()
    {
        var union = new UnionState(Guid.NewGuid());
        var first = Delta(upserts: 2);
        Assert.Equal((0, 0), union.HeldBefore(first));
        union.Apply(first, out _);

        Assert.Equal((2, 0), union.HeldBefore(Delta() with { PreviousSequence = 1, Sequence = 2 }));
        Assert.Null(union.HeldBefore(Delta() with { PreviousSequence = 5, Sequence = 6 }));
        Assert.Null(union.HeldBefore(Delta("b") with { PreviousSequence = 3, Sequence = 4 }));
    }
}
