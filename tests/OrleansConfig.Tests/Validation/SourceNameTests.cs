using Xunit;

namespace OrleansConfig.Tests.Validation;

public sealed class SourceNameTests
{
    [Theory]
    [InlineData("file")]
    [InlineData("etcd-1")]
    [InlineData("a.b")]
    [InlineData("0")]
    public void Valid_names_pass(string name) => Assert.Null(SourceName.Check(name));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("File", "must consist of")]
    [InlineData("-file", "must consist of")]
    [InlineData("file.", "must consist of")]
    [InlineData("a_b", "must consist of")]
    public void Invalid_names_say_why(string name, string why) => Assert.Contains(why, SourceName.Check(name));

    [Fact]
    public void Names_are_at_most_63_characters()
    {
        Assert.Null(SourceName.Check(new string('a', 63)));
        Assert.Equal("must be at most 63 characters, got 64", SourceName.Check(new string('a', 64)));
    }
}
