using Xunit;

namespace OrleansConfig.Tests.Collections;

public sealed class ValueMapTests
{
    [Fact]
    public void From_sorts_by_key_ordinally_and_a_key_given_twice_keeps_its_last_value()
    {
        var map = ValueMap.From([new("b", "1"), new("a", "2"), new("B", "3"), new("b", "4"), new("c", "5"), new("a", "6")]);

        Assert.Equal(["B", "a", "b", "c"], map.Keys);
        Assert.Equal(["3", "6", "4", "5"], map.Values);
        Assert.Equal(map, ValueMap.From([new("c", "5"), new("a", "6"), new("b", "4"), new("B", "3")]));
    }

    [Fact]
    public void From_of_nothing_is_the_shared_empty_map_and_of_one_pair_that_pair()
    {
        Assert.Same(ValueMap.Empty, ValueMap.From([]));
        Assert.Same(ValueMap.Empty, ValueMap.From(null));
        Assert.Equal("{app=web}", ValueMap.From([new("app", "web")]).ToString());
        Assert.Equal("{a=2}", ValueMap.From(new Dictionary<string, string> { ["a"] = "2" }.Select(p => p)).ToString());
    }
}
