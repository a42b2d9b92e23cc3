using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

/// <summary>The proxier on real loopback sockets, fed unions directly (no cluster): listeners, forwarding, live changes.</summary>
public sealed class ProxierTests : IAsyncLifetime
{
    private static readonly ServicePortName Web = Port("default", "web");

    private readonly CapturingLoggerFactory _logs = new();
    private readonly List<ListenerEvent> _events = [];
    private EchoBackend _a = null!;
    private EchoBackend _b = null!;
    private EchoBackend _c = null!;
    private Proxier _proxier = null!;

    public Task InitializeAsync()
    {
        _a = EchoBackend.Start("a");
        _b = EchoBackend.Start("b");
        _c = EchoBackend.Start("c");
        _proxier = NewProxier(new ProxyOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxier.DisposeAsync();
        await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask(), _c.DisposeAsync().AsTask());
    }

    private Proxier NewProxier(ProxyOptions options) => new(options, _logs, onListener: e =>
    {
        lock (_events) _events.Add(e);
    });

    private ListenerEvent[] Events
    {
        get { lock (_events) return [.. _events]; }
    }

    private async Task Union(Service[] services, Endpoints[] endpoints)
    {
        await _proxier.OnUpdate(services);
        await _proxier.OnUpdate(endpoints);
    }

    private IPEndPoint Listening(ServicePortName name) =>
        _proxier.ListenerOf(name) ?? throw new InvalidOperationException($"{name} has no listener");

    private static async Task<string[]> Backends(IPEndPoint proxy, int connections)
    {
        List<string> seen = [];
        for (var i = 0; i < connections; i++) seen.Add(await EchoClient.BackendOf(proxy));
        return [.. seen];
    }

    [Fact]
    public async Task A_rolling_update_loses_no_connection_attempt_while_the_only_address_terminates()
    {
        // Both backends share 127.0.0.1: the conditions are per address entry, so each subset holds one backend's port.
        Endpoints Step(EndpointSubset[] subsets) => SourcedEndpoints("default", "web", "file", subsets);
        var oldReady = Subset(["127.0.0.1"], EndpointPort(_a.Port));
        var oldTerminating = SubsetWithNotReady([], [TerminatingAddress("127.0.0.1")], EndpointPort(_a.Port));
        var newReady = Subset(["127.0.0.1"], EndpointPort(_b.Port));
        await Union([Sourced("default", "web", "file")], [Step([oldReady])]);
        var probe = ConnectionProbe.Start(Listening(Web), maxAttempts: 2_000);
        try
        {
            await probe.WaitForMoreAsync(5, "to the ready old backend");

            await _proxier.OnUpdate([Step([oldTerminating])]);
            var draining = _proxier.State().Ports.Single();
            await probe.WaitForMoreAsync(5, "while the old backend is only terminating");

            await _proxier.OnUpdate([Step([oldTerminating, newReady])]);
            var replaced = _proxier.State().Ports.Single();
            await probe.WaitForMoreAsync(5, "to the new backend while the old one still terminates");

            await _proxier.OnUpdate([Step([newReady])]);
            await probe.WaitForMoreAsync(5, "once the old backend is gone");
            await probe.StopAsync();

            Assert.Empty(probe.Failures);
            Assert.Equal(["127.0.0.1:" + _a.Port], draining.Backends);
            Assert.True(draining.Terminating);
            Assert.Equal(["127.0.0.1:" + _b.Port], replaced.Backends);
            Assert.False(replaced.Terminating);
            // The old backend answered until the new one was ready, and nothing after: no attempt went back to it.
            var seen = probe.Seen;
            var firstNew = seen.ToList().IndexOf("b");
            Assert.True(firstNew >= 10,
                $"the old backend took the attempts while it terminated: {seen.Count} seen, first new at {firstNew}");
            Assert.All(seen.Take(firstNew), s => Assert.Equal("a", s));
            Assert.All(seen.Skip(firstNew), s => Assert.Equal("b", s));
        }
        finally
        {
            await probe.StopAsync();
        }
    }

    [Fact]
    public async Task Without_a_ready_or_serving_address_connections_are_cut()
    {
        await Union([Sourced("default", "web", "file")],
            [SourcedEndpoints("default", "web", "file", SubsetWithNotReady([], [TerminatingAddress("127.0.0.1", serving: false)],
                EndpointPort(_a.Port)))]);

        Assert.Contains(await EchoClient.Rejection(Listening(Web)), new[] { "reset", "closed" });
        Assert.Equal(0, _a.Accepted);
        Assert.Empty(_proxier.State().Ports.Single().Backends);
    }

    [Fact]
    public async Task Connections_are_spread_round_robin_across_the_backends()
    {
        await Union([Sourced("default", "web", "file")], [LoopbackEndpoints("default", "web", "file", _a.Port, _b.Port, _c.Port)]);
        var proxy = Listening(Web);

        var seen = await Backends(proxy, 9);

        // The backends rotate in address order; the three ports are in the order the OS gave them.
        string[] order = [.. new[] { _a, _b, _c }.OrderBy(b => b.Port).Select(b => b.Name)];
        Assert.Equal([.. order, .. order, .. order], seen);
        Assert.Equal([3, 3, 3], new[] { _a.Accepted, _b.Accepted, _c.Accepted });
        Assert.Equal(IPAddress.Loopback, proxy.Address);
        Assert.Contains(Events, e => e.Kind == ListenerEventKind.Opened && e.Name == Web && e.Listen!.Equals(proxy) && e.Source == "file");
    }

    [Fact]
    public async Task A_node_port_is_listened_on_as_given()
    {
        var port = FreePort();
        await Union([Sourced("default", "web", "file", Tcp(80, nodePort: port))], [LoopbackEndpoints("default", "web", "file", _a.Port)]);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), Listening(Web));
        Assert.Equal("a", await EchoClient.BackendOf(Listening(Web)));
    }

    [Fact]
    public async Task ClientIP_affinity_keeps_a_client_on_one_backend()
    {
        var sticky = Sourced("default", "web", "file").WithSpec(s => s with { SessionAffinity = "ClientIP" });
        await Union([sticky], [LoopbackEndpoints("default", "web", "file", _a.Port, _b.Port, _c.Port)]);

        var seen = await Backends(Listening(Web), 5);

        Assert.Single(seen.Distinct());
    }

    [Fact]
    public async Task A_backend_that_refuses_is_skipped_and_the_next_one_serves_the_connection()
    {
        var dead = FreePort();
        await Union([Sourced("default", "web", "file")], [LoopbackEndpoints("default", "web", "file", dead, _b.Port)]);

        var seen = await Backends(Listening(Web), 4);

        Assert.Equal(["b", "b", "b", "b"], seen);
        Assert.Equal(4, _b.Accepted);
        Assert.True(_logs.Contains(LogLevel.Warning, $"127.0.0.1:{dead}"), "the refusing backend is logged");
    }

    [Fact]
    public async Task When_every_backend_refuses_the_client_is_closed_at_once()
    {
        var dead = FreePorts.Take(2);
        await Union([Sourced("default", "web", "file")], [LoopbackEndpoints("default", "web", "file", dead)]);

        Assert.Contains(await EchoClient.Rejection(Listening(Web)), new[] { "reset", "closed" });
        Assert.True(_logs.Contains(LogLevel.Information, "2 tried"), "each backend is tried once");
    }

    [Fact]
    public async Task With_no_endpoints_the_client_is_closed_at_once_not_left_hanging()
    {
        await Union([Sourced("default", "web", "file")], []);

        Assert.Contains(await EchoClient.Rejection(Listening(Web)), new[] { "reset", "closed" });
        await Eventually.Until(() => _proxier.ActiveConnections == 0, "the refused connection to be let go");
    }

    [Fact]
    public async Task Endpoint_changes_apply_to_the_next_connection_and_a_removed_backend_gets_no_more()
    {
        await Union([Sourced("default", "web", "file")], [LoopbackEndpoints("default", "web", "file", _a.Port, _b.Port, _c.Port)]);
        var proxy = Listening(Web);
        using var held = await EchoClient.ConnectAsync(proxy);
        var removed = new[] { _a, _b, _c }.Single(b => b.Name == held.Backend);

        await _proxier.OnUpdate(
            [LoopbackEndpoints("default", "web", "file", [.. new[] { _a, _b, _c }.Where(b => b != removed).Select(b => b.Port)])]);
        var seen = await Backends(proxy, 6);

        Assert.DoesNotContain(removed.Name, seen);
        Assert.Equal(1, removed.Accepted);
        Assert.Equal(2, seen.Distinct().Count());
        Assert.Equal(proxy, Listening(Web));
        Assert.Equal("still here", await held.EchoAsync("still here"));
    }

    [Fact]
    public async Task Removing_the_service_closes_its_port_and_open_connections_drain()
    {
        await Union([Sourced("default", "web", "file"), Sourced("default", "db", "file")],
            [LoopbackEndpoints("default", "web", "file", _a.Port)]);
        var proxy = Listening(Web);
        var db = Listening(Port("default", "db"));
        using var held = await EchoClient.ConnectAsync(proxy);

        await _proxier.OnUpdate([Sourced("default", "db", "file")]);

        Assert.Null(_proxier.ListenerOf(Web));
        Assert.Equal("refused", await EchoClient.Rejection(proxy));
        Assert.Equal("after close", await held.EchoAsync("after close"));
        Assert.Equal(1, _proxier.ActiveConnections);
        Assert.Equal(db, Listening(Port("default", "db")));
        Assert.Contains(Events, e => e.Kind == ListenerEventKind.Closed && e.Name == Web && e.Listen!.Equals(proxy));
        Assert.Equal(1, Events.Count(e => e.Kind == ListenerEventKind.Opened && e.Name == Port("default", "db")));
    }

    [Fact]
    public async Task A_new_node_port_moves_the_listener()
    {
        var ports = FreePorts.Take(2);
        await Union([Sourced("default", "web", "file", Tcp(80, nodePort: ports[0]))],
            [LoopbackEndpoints("default", "web", "file", _a.Port)]);

        await _proxier.OnUpdate([Sourced("default", "web", "file", Tcp(80, nodePort: ports[1]))]);

        Assert.Equal(ports[1], Listening(Web).Port);
        Assert.Equal("refused", await EchoClient.Rejection(new IPEndPoint(IPAddress.Loopback, ports[0])));
        Assert.Equal("a", await EchoClient.BackendOf(Listening(Web)));
    }

    [Fact]
    public async Task A_port_in_use_is_reported_once_shown_in_the_table_and_taken_when_it_frees_up()
    {
        await _proxier.DisposeAsync();
        _proxier = NewProxier(new ProxyOptions { RetryInterval = TimeSpan.FromMilliseconds(50) });
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            await Union([Sourced("default", "web", "file", Tcp(80, nodePort: port))],
                [LoopbackEndpoints("default", "web", "file", _a.Port)]);
            await _proxier.OnUpdate([LoopbackEndpoints("default", "web", "file", _a.Port, _b.Port)]);

            Assert.Null(_proxier.ListenerOf(Web));
            Assert.Single(Events, e => e.Kind == ListenerEventKind.Failed);
            var row = Assert.Single(_proxier.State().Ports);
            Assert.Null(row.Listen);
            Assert.Contains($"cannot listen on 127.0.0.1:{port}", row.Error);
        }
        finally
        {
            squatter.Stop();
        }

        await Eventually.Until(() => _proxier.ListenerOf(Web) is not null, "the retry takes the freed port");
        Assert.Equal(port, Listening(Web).Port);
        Assert.Null(Assert.Single(_proxier.State().Ports).Error);
    }

    [Fact]
    public async Task A_conflict_between_sources_is_logged_once_and_the_priority_source_is_used()
    {
        await _proxier.DisposeAsync();
        _proxier = NewProxier(new ProxyOptions { Priority = ["manual"] });
        Service[] services = [Sourced("default", "web", "etcd"), Sourced("default", "web", "manual")];
        Endpoints[] endpoints =
            [LoopbackEndpoints("default", "web", "etcd", _a.Port), LoopbackEndpoints("default", "web", "manual", _b.Port)];

        await Union(services, endpoints);
        await Union(services, endpoints);
        await _proxier.OnUpdate([LoopbackEndpoints("default", "web", "etcd", _a.Port, _c.Port), endpoints[1]]);

        Assert.Equal(["b", "b"], await Backends(Listening(Web), 2));
        Assert.Single(_logs.Entries, e =>
            e.Message.Contains("published by several sources (manual, etcd); using manual's", StringComparison.Ordinal));
        Assert.Equal("manual", Assert.Single(_proxier.State().Ports).Source);
    }

    [Fact]
    public async Task The_state_lists_every_port_with_its_listener_and_backends_and_is_served_on_the_control_port()
    {
        await Union(
            [Sourced("default", "web", "file", Tcp(80, "http"), Tcp(81, "admin"))],
            [SourcedEndpoints("default", "web", "file", Subset(["127.0.0.1"], EndpointPort(_a.Port, "http")))]);
        await using var control = ControlServer.Start(new IPEndPoint(IPAddress.Loopback, 0), _proxier.State, _logs.CreateLogger("control"));

        var state = await ControlClient.ReadAsync(control.LocalEndPoint, CancellationToken.None).WaitAsync(EchoClient.Timeout);

        Assert.Equal(Environment.ProcessId, state.ProcessId);
        Assert.Equal("127.0.0.1", state.Bind);
        Assert.Equal(["admin", "http"], state.Ports.Select(p => p.Port));
        var http = state.Ports[1];
        Assert.Equal(("default", "web", "file"), (http.Namespace, http.Name, http.Source));
        Assert.Equal(Listening(Port("default", "web", "http")).ToString(), http.Listen);
        Assert.Equal([$"127.0.0.1:{_a.Port}"], http.Backends);
        Assert.Empty(state.Ports[0].Backends);
    }

    [Fact]
    public async Task Reading_a_control_port_that_is_not_a_proxys_fails_clearly()
    {
        var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var answering = Task.Run(async () =>
        {
            using var client = await other.AcceptSocketAsync();
            await client.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        });
        try
        {
            await Assert.ThrowsAsync<InvalidDataException>(() =>
                ControlClient.ReadAsync((IPEndPoint)other.LocalEndpoint, CancellationToken.None).WaitAsync(EchoClient.Timeout));
            await answering.WaitAsync(EchoClient.Timeout);
        }
        finally
        {
            other.Stop();
        }

        var error =
            await Assert.ThrowsAsync<SocketException>(() =>
            ControlClient.ReadAsync(new IPEndPoint(IPAddress.Loopback, FreePort()), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Disposing_closes_the_listeners_and_cuts_open_connections()
    {
        await Union([Sourced("default", "web", "file")], [LoopbackEndpoints("default", "web", "file", _a.Port)]);
        var proxy = Listening(Web);
        using var held = await EchoClient.ConnectAsync(proxy);

        await _proxier.DisposeAsync();

        Assert.Equal("refused", await EchoClient.Rejection(proxy));
        Assert.Null(await EchoOrNull(held, "gone"));
        await Eventually.Until(() => _proxier.ActiveConnections == 0, "the cut connection to be let go");
    }

    private static async Task<string?> EchoOrNull(EchoClient client, string line)
    {
        try
        {
            return await client.EchoAsync(line);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int FreePort() => FreePorts.Take(1)[0];
}
