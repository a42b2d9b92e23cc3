using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.ServiceDiscovery;
using Xunit;

namespace OrleansConfig.Tests.ServiceDiscovery;

public sealed class CatalogServiceNameTests
{
    [Theory]
    [InlineData("http://web", "default", "web", null)]
    [InlineData("http://web.shop", "shop", "web", null)]
    [InlineData("http://web.shop/api/items?x=1", "shop", "web", null)]
    [InlineData("https+http://_grpc.web.shop", "shop", "web", "grpc")]
    [InlineData("https+http://_grpc.web", "default", "web", "grpc")]
    [InlineData("http://Web.Shop:8080", "shop", "web", null)]
    [InlineData("web.shop", "shop", "web", null)]
    public void A_service_name_names_namespace_service_and_port(string uri, string ns, string name, string? port)
    {
        Assert.True(Parse(uri, "default", out var parsed));

        Assert.Equal(new CatalogServiceName(ns, name, port), parsed);
    }

    [Fact]
    public void A_name_without_namespace_takes_the_configured_default()
    {
        Assert.True(Parse("http://web", "prod", out var parsed));

        Assert.Equal("prod/web", parsed!.Value.Key);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://api.example.com")]
    [InlineData("http://web.shop.svc.cluster.local")]
    [InlineData("http://1web.shop")]
    [InlineData("http://web-.shop")]
    [InlineData("http://web.-shop")]
    [InlineData("http://web_x.shop")]
    [InlineData("http://_bad_port.web.shop")]
    [InlineData("http://_grpc-.web.shop")]
    public void A_host_that_cannot_name_a_service_is_left_to_other_providers(string uri)
    {
        Assert.False(Parse(uri, "default", out _));
    }

    [Fact]
    public void A_name_longer_than_a_dns_label_is_left_to_other_providers()
    {
        Assert.False(Parse($"http://{new string('a', 64)}.shop", "default", out _));
        Assert.True(Parse($"http://{new string('a', 63)}.shop", "default", out _));
    }

    private static bool Parse(string uri, string defaultNamespace, out CatalogServiceName? name)
    {
        Assert.True(ServiceEndpointQuery.TryParse(uri, out var query));
        return CatalogServiceName.TryParse(query.ServiceName, query.EndpointName, defaultNamespace, out name);
    }
}
