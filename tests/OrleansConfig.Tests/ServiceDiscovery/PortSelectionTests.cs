using System.Net;
using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.ServiceDiscovery;
using Xunit;

namespace OrleansConfig.Tests.ServiceDiscovery;

public sealed class PortSelectionTests
{
    private static readonly ServicePort Metrics = new() { Name = "metrics", Port = 9090 };
    private static readonly ServicePort Http = new() { Name = "http", Port = 80 };
    private static readonly ServicePort Https = new() { Name = "https", Port = 443 };
    private static readonly ServicePort Grpc = new() { Name = "grpc", Port = 5000 };

    [Fact]
    public void A_port_name_picks_that_port_whatever_the_scheme()
    {
        Assert.Equal((Grpc, (string?)null), PortSelection.Select([Metrics, Http, Grpc], "grpc", ["https", "http"]));
    }

    [Fact]
    public void A_port_name_the_service_lacks_picks_nothing()
    {
        Assert.Null(PortSelection.Select([Metrics, Http], "grpc", ["http"]));
    }

    [Fact]
    public void Without_a_port_name_the_first_scheme_that_names_a_port_wins()
    {
        Assert.Equal((Https, "https"), PortSelection.Select([Metrics, Http, Https], null, ["https", "http"]));
        Assert.Equal((Http, "http"), PortSelection.Select([Metrics, Http], null, ["https", "http"]));
    }

    [Fact]
    public void Without_a_port_named_like_a_scheme_the_first_port_wins()
    {
        Assert.Equal((Metrics, (string?)null), PortSelection.Select([Metrics, Grpc], null, ["https", "http"]));
        Assert.Equal((Metrics, (string?)null), PortSelection.Select([Metrics, Http], null, []));
    }

    [Fact]
    public void A_service_without_ports_picks_nothing()
    {
        Assert.Null(PortSelection.Select([], null, ["http"]));
    }

    [Fact]
    public void Addresses_become_uri_endpoints_when_a_scheme_chose_the_port_else_ip_endpoints()
    {
        Assert.Equal(new UriEndPoint(new Uri("http://10.0.0.1:80")), CatalogEndpointProvider.ToEndPoint("10.0.0.1:80", "http"));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5000), CatalogEndpointProvider.ToEndPoint("10.0.0.1:5000", null));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5000), CatalogEndpointProvider.ToEndPoint("[::1]:5000", null));
    }
}
