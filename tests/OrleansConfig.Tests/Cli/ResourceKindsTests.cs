using OrleansConfig.Cli.Commands;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class ResourceKindsTests
{
    [Theory]
    [InlineData("services", "Services")]
    [InlineData("service", "Services")]
    [InlineData("svc", "Services")]
    [InlineData("SVC", "Services")]
    [InlineData("endpoints", "Endpoints")]
    [InlineData("endpoint", "Endpoints")]
    [InlineData("ep", "Endpoints")]
    [InlineData("svc,ep", "Services,Endpoints")]
    [InlineData("ep,svc", "Endpoints,Services")]
    [InlineData("svc,services,ep", "Services,Endpoints")]
    [InlineData("endpointslices", "EndpointSlices")]
    [InlineData("endpointslice", "EndpointSlices")]
    [InlineData("eps", "EndpointSlices")]
    [InlineData("svc,eps,ep", "Services,EndpointSlices,Endpoints")]
    public void Kinds_are_read_by_any_of_their_names_in_the_order_given(string text, string expected)
    {
        Assert.Equal(expected, string.Join(",", ResourceKinds.Parse(text, out var error, slices: true)!));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("pods", "unknown kind \"pods\"; valid kinds: services (svc), endpoints (ep)")]
    [InlineData("servics", "unknown kind \"servics\" (did you mean \"services\"?); valid kinds: services (svc), endpoints (ep)")]
    [InlineData("svc,pods", "unknown kind \"pods\"; valid kinds: services (svc), endpoints (ep)")]
    [InlineData("svc,", "\"svc,\" names an empty kind; valid kinds: services (svc), endpoints (ep)")]
    public void An_unknown_kind_is_named_with_the_valid_ones(string text, string expected)
    {
        Assert.Null(ResourceKinds.Parse(text, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Slices_are_a_kind_of_get_only()
    {
        Assert.Null(ResourceKinds.Parse("svc,eps", out var error));
        Assert.Equal("unknown kind \"eps\" (did you mean \"ep\"?); valid kinds: services (svc), endpoints (ep)", error);
        Assert.Null(ResourceKinds.Parse("pods", out var withSlices, slices: true));
        Assert.Equal("unknown kind \"pods\"; valid kinds: services (svc), endpoints (ep), endpointslices (eps)", withSlices);
    }
}
