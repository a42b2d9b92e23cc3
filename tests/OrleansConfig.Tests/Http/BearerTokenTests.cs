using OrleansConfig.Silo.Http;
using Xunit;

namespace OrleansConfig.Tests.Http;

public sealed class BearerTokenTests
{
    private readonly BearerToken _token = new("s3cret-token");

    [Theory]
    [InlineData("Bearer s3cret-token")]
    [InlineData("bearer s3cret-token")]
    [InlineData("BEARER  s3cret-token ")]
    public void The_token_with_the_Bearer_scheme_is_accepted(string header) => Assert.True(_token.Accepts(header));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("s3cret-token")]
    [InlineData("Basic s3cret-token")]
    [InlineData("Bearers3cret-token")]
    [InlineData("Bearer s3cret-toke")]
    [InlineData("Bearer s3cret-token2")]
    [InlineData("Bearer S3CRET-TOKEN")]
    public void Anything_else_is_refused(string? header) => Assert.False(_token.Accepts(header));
}
