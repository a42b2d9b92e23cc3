using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

public sealed class ProxyChangesTests
{
    private static readonly ServicePortName Web = Port("default", "web");
    private static readonly ServicePortName Db = Port("default", "db");
    private static readonly ServicePortName Cart = Port("shop", "cart");

    private static Dictionary<ServicePortName, DesiredPort> Ports(params DesiredPort[] ports) => ports.ToDictionary(p => p.Name);

    [Fact]
    public void Nothing_changes_when_the_plan_is_what_the_proxy_has()
    {
        var ports = Ports(Desired(Web, 0, "file", At("10.0.0.1", 80)), Desired(Db, 30432));

        Assert.True(ProxyChanges.Between(ports, Ports([.. ports.Values])).IsEmpty);
    }

    [Fact]
    public void New_ports_open_missing_ones_close_and_changed_backends_update()
    {
        var current = Ports(Desired(Web, 0, "file", At("10.0.0.1", 80)), Desired(Db));
        var desired = Ports(Desired(Web, 0, "file", At("10.0.0.2", 80)), Desired(Cart));

        var changes = ProxyChanges.Between(current, desired);

        Assert.Equal([Db], changes.Close);
        Assert.Equal([Cart], changes.Open.Select(p => p.Name));
        Assert.Equal([desired[Web]], changes.Update);
    }

    [Fact]
    public void A_changed_listen_port_closes_the_old_listener_and_opens_a_new_one()
    {
        var changes = ProxyChanges.Between(Ports(Desired(Web, 30080)), Ports(Desired(Web, 0)));

        Assert.Equal([Web], changes.Close);
        Assert.Equal([Web], changes.Open.Select(p => p.Name));
        Assert.Empty(changes.Update);
    }

    [Fact]
    public void A_service_moving_to_another_source_keeps_its_listener()
    {
        var changes = ProxyChanges.Between(Ports(Desired(Web, 0, "etcd")), Ports(Desired(Web, 0, "file")));

        Assert.Empty(changes.Close);
        Assert.Empty(changes.Open);
        Assert.Equal("file", Assert.Single(changes.Update).Source);
    }

    [Fact]
    public void A_changed_affinity_is_an_update()
    {
        var changes = ProxyChanges.Between(
            Ports(Desired(Web)),
            Ports(Desired(Web) with { Affinity = SessionAffinity.ClientIP(TimeSpan.FromSeconds(5)) }));

        Assert.Single(changes.Update);
    }
}
