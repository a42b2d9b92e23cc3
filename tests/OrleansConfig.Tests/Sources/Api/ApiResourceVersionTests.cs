using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiResourceVersionTests
{
    [Theory]
    [InlineData("12345", 12345)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    [InlineData("-1", 0)]
    [InlineData(" 5", 0)]
    [InlineData("abc", 0)]
    [InlineData("1.5", 0)]
    [InlineData("9223372036854775808", 0)]
    public void An_integer_resource_version_is_the_revision_anything_else_is_unversioned(string? resourceVersion, long revision)
    {
        Assert.Equal(revision, ApiResourceVersion.ToRevision(resourceVersion));
    }
}
