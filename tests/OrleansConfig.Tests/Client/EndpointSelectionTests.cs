using OrleansConfig.Client;
using static OrleansConfig.Testing.Items;
using Xunit;

namespace OrleansConfig.Tests.Client;

/// <summary>kube-proxy's rule for which addresses a port routes to: ready ones, else serving-and-terminating ones.</summary>
public sealed class EndpointSelectionTests
{
    private static Endpoints Web(params EndpointSubset[] subsets) => SourcedEndpoints("default", "web", "file", subsets);

    [Fact]
    public void All_ready_addresses_are_used_sorted_by_address()
    {
        var selection = EndpointSelection.Of(Web(Subset(["10.0.0.2", "10.0.0.1"], EndpointPort(8080))), "", "TCP");

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], selection.Addresses);
        Assert.False(selection.Terminating);
    }

    [Fact]
    public void Terminating_addresses_are_ignored_while_one_is_ready()
    {
        var selection = EndpointSelection.Of(
            Web(SubsetWithNotReady(["10.0.0.1"], [TerminatingAddress("10.0.0.2"), TerminatingAddress("10.0.0.3")], EndpointPort(8080))), "", "TCP");

        Assert.Equal(["10.0.0.1:8080"], selection.Addresses);
        Assert.False(selection.Terminating);
    }

    [Fact]
    public void A_ready_address_in_another_subset_of_the_same_port_still_wins()
    {
        var selection = EndpointSelection.Of(
            Web(SubsetWithNotReady([], [TerminatingAddress("10.0.0.2")], EndpointPort(8080)), Subset(["10.0.0.9"], EndpointPort(8080))), "", "TCP");

        Assert.Equal(["10.0.0.9:8080"], selection.Addresses);
        Assert.False(selection.Terminating);
    }

    [Fact]
    public void With_none_ready_the_serving_and_terminating_addresses_are_used()
    {
        var selection = EndpointSelection.Of(
            Web(SubsetWithNotReady([], [TerminatingAddress("10.0.0.3"), TerminatingAddress("10.0.0.2"), TerminatingAddress("10.0.0.4", serving: false)],
                EndpointPort(8080))),
            "", "TCP");

        Assert.Equal(["10.0.0.2:8080", "10.0.0.3:8080"], selection.Addresses);
        Assert.True(selection.Terminating);
    }

    [Fact]
    public void With_none_ready_terminating_addresses_that_do_not_serve_give_nothing()
    {
        var selection = EndpointSelection.Of(
            Web(SubsetWithNotReady([], [TerminatingAddress("10.0.0.2", serving: false)], EndpointPort(8080))), "", "TCP");

        Assert.Same(EndpointSelection.None, selection);
    }

    [Fact]
    public void V1_not_ready_addresses_are_never_used()
    {
        var selection = EndpointSelection.Of(Web(Subset([], ["10.0.0.2", "10.0.0.3"], EndpointPort(8080))), "", "TCP");

        Assert.Equal([], selection.Addresses);
        Assert.False(selection.Terminating);
    }

    [Fact]
    public void A_serving_address_that_is_not_terminating_is_not_a_fallback()
    {
        // Serving but neither ready nor terminating: kube-proxy falls back only to terminating endpoints.
        var notReady = new EndpointAddress { Ip = "10.0.0.2", Serving = true };

        var selection = EndpointSelection.Of(Web(SubsetWithNotReady([], [notReady], EndpointPort(8080))), "", "TCP");

        Assert.Same(EndpointSelection.None, selection);
    }

    [Fact]
    public void The_fallback_is_decided_per_port()
    {
        var endpoints = Web(
            Subset(["10.0.0.1"], EndpointPort(8080, "http")),
            SubsetWithNotReady([], [TerminatingAddress("10.0.0.2")], EndpointPort(9090, "metrics")));

        Assert.Equal(["10.0.0.1:8080"], EndpointSelection.Of(endpoints, "http", "TCP").Addresses);
        var metrics = EndpointSelection.Of(endpoints, "metrics", "TCP");
        Assert.Equal(["10.0.0.2:9090"], metrics.Addresses);
        Assert.True(metrics.Terminating);
        Assert.Same(EndpointSelection.None, EndpointSelection.Of(endpoints, "http", "UDP"));
    }
}
