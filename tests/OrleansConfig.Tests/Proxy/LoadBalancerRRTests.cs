using System.Net;
using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

public sealed class LoadBalancerRRTests
{
    private static readonly ServicePortName Web = Port("default", "web");
    private static readonly IPEndPoint A = At("10.0.0.1", 80);
    private static readonly IPEndPoint B = At("10.0.0.2", 80);
    private static readonly IPEndPoint C = At("10.0.0.3", 80);
    private static readonly IPAddress Client1 = IPAddress.Parse("192.168.0.1");
    private static readonly IPAddress Client2 = IPAddress.Parse("192.168.0.2");

    private readonly ManualTimeProvider _time = new();

    private static IPEndPoint?[] Take(LoadBalancerRR balancer, int count, IPAddress? client = null) =>
        [.. Enumerable.Range(0, count).Select(_ => balancer.Next(Web, client))];

    [Fact]
    public void Rotates_through_the_backends_in_order_and_wraps_around()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [C, A, B], SessionAffinity.None);

        Assert.Equal([A, B, C, A, B, C, A], Take(balancer, 7));
    }

    [Fact]
    public void Without_affinity_one_client_is_spread_like_any_other()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.None);

        Assert.Equal([A, B, C], Take(balancer, 3, Client1));
    }

    [Fact]
    public void Duplicate_backends_count_once()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, A, At("10.0.0.2", 80)], SessionAffinity.None);

        Assert.Equal([A, B, A], Take(balancer, 3));
    }

    [Fact]
    public void An_empty_backend_set_gives_no_backend()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [], SessionAffinity.None);

        Assert.Null(balancer.Next(Web, Client1));
        Assert.Null(balancer.Next(Port("default", "unknown"), Client1));
    }

    [Fact]
    public void Emptying_the_backends_mid_rotation_gives_no_backend_and_refilling_resumes()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.None);
        Assert.Equal(A, balancer.Next(Web, null));

        balancer.Update(Web, [], SessionAffinity.None);
        Assert.Null(balancer.Next(Web, null));

        balancer.Update(Web, [A, B, C], SessionAffinity.None);
        Assert.Equal([B, C, A], Take(balancer, 3));
    }

    [Fact]
    public void Removing_a_backend_mid_rotation_continues_with_the_next_one_still_there()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.None);
        Assert.Equal(A, balancer.Next(Web, null));

        balancer.Update(Web, [A, C], SessionAffinity.None);

        Assert.Equal([C, A, C, A], Take(balancer, 4));
    }

    [Fact]
    public void Removing_the_backend_last_handed_out_goes_on_to_the_one_after_it()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.None);
        Assert.Equal([A, B], Take(balancer, 2));

        balancer.Update(Web, [A, C], SessionAffinity.None);

        Assert.Equal([C, A], Take(balancer, 2));
    }

    [Fact]
    public void A_backend_added_mid_rotation_takes_its_place_in_the_order()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, C], SessionAffinity.None);
        Assert.Equal(A, balancer.Next(Web, null));

        balancer.Update(Web, [A, B, C], SessionAffinity.None);

        Assert.Equal([B, C, A], Take(balancer, 3));
    }

    [Fact]
    public void Backends_already_tried_by_a_connection_are_skipped_and_none_is_left_after_all()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.None);

        Assert.Equal(B, balancer.Next(Web, null, new HashSet<IPEndPoint> { A }));
        Assert.Equal(A, balancer.Next(Web, null, new HashSet<IPEndPoint> { C }));
        Assert.Null(balancer.Next(Web, null, new HashSet<IPEndPoint> { A, B, C }));
    }

    [Fact]
    public void Removing_a_port_forgets_it()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A], SessionAffinity.None);

        balancer.Remove(Web);

        Assert.Null(balancer.Next(Web, null));
        Assert.Empty(balancer.Backends(Web));
    }

    [Fact]
    public void ClientIP_affinity_keeps_each_client_on_its_backend()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.ClientIP(TimeSpan.FromMinutes(10)));

        Assert.Equal([A, A, A], Take(balancer, 3, Client1));
        Assert.Equal([B, B], Take(balancer, 2, Client2));
        Assert.Equal(C, balancer.Next(Web, IPAddress.Parse("192.168.0.3")));
        Assert.Equal(A, balancer.Next(Web, Client1));
    }

    [Fact]
    public void Affinity_lasts_the_timeout_from_the_clients_last_connection()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.ClientIP(TimeSpan.FromSeconds(100)));
        Assert.Equal(A, balancer.Next(Web, Client1));

        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(A, balancer.Next(Web, Client1));
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(A, balancer.Next(Web, Client1));

        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(B, balancer.Next(Web, Client1));
        Assert.Equal(B, balancer.Next(Web, Client1));
    }

    [Fact]
    public void A_client_whose_backend_was_removed_moves_to_another_and_stays_there()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.ClientIP(SessionAffinity.DefaultTimeout));
        Assert.Equal(A, balancer.Next(Web, Client1));

        balancer.Update(Web, [B, C], SessionAffinity.ClientIP(SessionAffinity.DefaultTimeout));

        Assert.Equal([B, B], Take(balancer, 2, Client1));
        Assert.Equal(1, balancer.AffinityCount(Web));
    }

    [Fact]
    public void A_client_whose_backend_failed_this_connection_gets_the_next_one_and_keeps_it()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.ClientIP(SessionAffinity.DefaultTimeout));
        Assert.Equal(A, balancer.Next(Web, Client1));

        Assert.Equal(B, balancer.Next(Web, Client1, new HashSet<IPEndPoint> { A }));

        Assert.Equal(B, balancer.Next(Web, Client1));
    }

    [Fact]
    public void Turning_affinity_off_forgets_the_clients()
    {
        var balancer = new LoadBalancerRR(_time);
        balancer.Update(Web, [A, B, C], SessionAffinity.ClientIP(SessionAffinity.DefaultTimeout));
        Assert.Equal(A, balancer.Next(Web, Client1));

        balancer.Update(Web, [A, B, C], SessionAffinity.None);

        Assert.Equal(0, balancer.AffinityCount(Web));
        Assert.Equal([B, C], Take(balancer, 2, Client1));
    }

    [Fact]
    public void Expired_affinity_entries_are_pruned_when_backends_change()
    {
        var balancer = new LoadBalancerRR(_time);
        var affinity = SessionAffinity.ClientIP(TimeSpan.FromSeconds(10));
        balancer.Update(Web, [A, B], affinity);
        balancer.Next(Web, Client1);
        balancer.Next(Web, Client2);
        Assert.Equal(2, balancer.AffinityCount(Web));

        _time.Advance(TimeSpan.FromSeconds(11));
        balancer.Update(Web, [A, B, C], affinity);

        Assert.Equal(0, balancer.AffinityCount(Web));
    }
}
