using OrleansConfig.Cli.Output;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class DidYouMeanTests
{
    private static readonly string[] Verbs =
        ["get", "watch", "apply", "replace", "delete", "sources", "remove-source", "proxy", "version", "help"];

    [Theory]
    [InlineData("gett", "get")]
    [InlineData("gte", "get")]
    [InlineData("wacth", "watch")]
    [InlineData("aply", "apply")]
    [InlineData("source", "sources")]
    [InlineData("remove-sources", "remove-source")]
    [InlineData("Version", "version")]
    [InlineData("del", "delete")]
    public void A_misspelled_verb_suggests_the_nearest(string typed, string expected) =>
        Assert.Equal(expected, DidYouMean.Suggest(typed, Verbs));

    [Theory]
    [InlineData("pods")]
    [InlineData("kubectl")]
    [InlineData("")]
    public void A_word_far_from_every_verb_suggests_nothing(string typed) => Assert.Null(DidYouMean.Suggest(typed, Verbs));

    [Theory]
    [InlineData("get", "get", 0)]
    [InlineData("gett", "get", 1)]
    [InlineData("gte", "get", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_counts_edits_with_a_transposition_as_one(string a, string b, int expected) =>
        Assert.Equal(expected, DidYouMean.Distance(a, b));
}
