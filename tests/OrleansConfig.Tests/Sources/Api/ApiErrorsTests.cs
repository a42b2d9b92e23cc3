using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiErrorsTests
{
    public static TheoryData<Exception, string> Cases => new()
    {
        { new ApiServerException(410, "Expired", "too old resource version: 1 (5)"), nameof(ApiErrorKind.Gone) },
        { new ApiServerException(410, null, "Gone"), nameof(ApiErrorKind.Gone) },
        { new ApiServerException(500, "Expired", "continue token expired"), nameof(ApiErrorKind.Gone) },
        { new ApiServerException(504, null, "Gateway Timeout"), nameof(ApiErrorKind.Timeout) },
        { new ApiServerException(500, "Timeout", "Timeout: request did not complete within the allotted timeout"),
            nameof(ApiErrorKind.Timeout) },
        { new ApiServerException(500, "InternalError", "etcdserver: leader changed"), nameof(ApiErrorKind.Failed) },
        { new ApiServerException(401, "Unauthorized", "Unauthorized"), nameof(ApiErrorKind.Failed) },
        { new TimeoutException("list timed out"), nameof(ApiErrorKind.Timeout) },
        { new IOException("The response ended prematurely."), nameof(ApiErrorKind.Disconnected) },
        { new HttpRequestException("Connection refused"), nameof(ApiErrorKind.Failed) },
        { new InvalidOperationException("anything else"), nameof(ApiErrorKind.Failed) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Errors_are_classified_as_the_source_treats_them(Exception error, string kind)
    {
        Assert.Equal(Enum.Parse<ApiErrorKind>(kind), ApiErrors.Classify(error));
    }

    [Fact]
    public void Descriptions_name_the_status_and_reason()
    {
        Assert.Equal("403 Forbidden: services is forbidden",
            ApiErrors.Describe(new ApiServerException(403, "Forbidden", "services is forbidden")));
        Assert.Equal("503: HTTP 503 Service Unavailable",
            ApiErrors.Describe(new ApiServerException(503, null, "HTTP 503 Service Unavailable")));
        Assert.Equal("Connection refused (127.0.0.1:1)", ApiErrors.Describe(new HttpRequestException("Connection refused (127.0.0.1:1)")));
        Assert.Equal("InvalidOperationException: x", ApiErrors.Describe(new InvalidOperationException("x")));
    }
}
