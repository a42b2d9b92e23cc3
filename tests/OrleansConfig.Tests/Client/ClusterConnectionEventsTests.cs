using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using OrleansConfig.Client;
using Xunit;

namespace OrleansConfig.Tests.Client;

public sealed class ClusterConnectionEventsTests
{
    [Fact]
    public void Getting_a_gateway_back_after_having_none_is_a_reconnect()
    {
        var events = new ClusterConnectionEvents();
        var reconnects = 0;
        events.Reconnected += () => reconnects++;

        events.OnGatewayCountChanged(0, 2);
        events.OnGatewayCountChanged(1, 0);

        Assert.Equal(1, reconnects);
    }

    [Fact]
    public void Losing_one_of_several_gateways_is_not_a_reconnect()
    {
        var events = new ClusterConnectionEvents();
        var reconnects = 0;
        events.Reconnected += () => reconnects++;

        events.OnGatewayCountChanged(1, 2);
        events.OnGatewayCountChanged(2, 1);

        Assert.Equal(0, reconnects);
    }

    [Fact]
    public void The_first_gateway_after_a_reported_loss_is_a_reconnect_once()
    {
        var events = new ClusterConnectionEvents();
        var reconnects = 0;
        var losses = 0;
        events.Reconnected += () => reconnects++;
        events.ConnectionLost += () => losses++;

        events.OnConnectionLost();
        events.OnGatewayCountChanged(2, 1);
        events.OnGatewayCountChanged(3, 2);

        Assert.Equal(1, losses);
        Assert.Equal(1, reconnects);
    }

    [Fact]
    public void AddOrleansConfigClient_wires_the_clients_connection_handlers_once()
    {
        var services = new ServiceCollection();
        services.AddOrleansClient(client => client.AddOrleansConfigClient().AddOrleansConfigClient());
        using var provider = services.BuildServiceProvider();

        var events = provider.GetRequiredService<ClusterConnectionEvents>();
        var reconnects = 0;
        events.Reconnected += () => reconnects++;
        foreach (var lost in provider.GetServices<ConnectionToClusterLostHandler>()) lost(this, EventArgs.Empty);
        foreach (var changed in provider.GetServices<GatewayCountChangedHandler>()) changed(this, new GatewayCountChangedEventArgs(1, 0));

        Assert.Equal(1, reconnects);
        Assert.Single(services, d => d.ServiceType == typeof(ClusterConnectionEvents));
    }
}
