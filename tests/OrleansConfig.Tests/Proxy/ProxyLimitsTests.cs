using System.Net;
using Microsoft.Extensions.Logging;
using OrleansConfig.Proxy;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

/// <summary>The proxy's bounds on real loopback sockets: connection caps, the idle timeout, and rate-limited warnings.</summary>
public sealed class ProxyLimitsTests : IAsyncLifetime
{
    private static readonly ServicePortName Web = Port("default", "web");
    private static readonly ServicePortName Db = Port("default", "db");

    private readonly CapturingLoggerFactory _logs = new();
    private readonly ManualTimeProvider _time = new();
    private EchoBackend _a = null!;
    private Proxier? _proxier;

    public Task InitializeAsync()
    {
        _a = EchoBackend.Start("a");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_proxier is not null) await _proxier.DisposeAsync();
        await _a.DisposeAsync();
    }

    private async Task<Proxier> Start(ProxyOptions options, params string[] services)
    {
        _proxier = new Proxier(options, _logs, _time);
        await _proxier.OnUpdate([.. services.Select(s => Sourced("default", s, "file"))]);
        await _proxier.OnUpdate([.. services.Select(s => LoopbackEndpoints("default", s, "file", _a.Port))]);
        return _proxier;
    }

    private LogEntry[] Warnings(string text) =>
        [.. _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal))];

    [Fact]
    public async Task A_listener_over_its_connection_limit_resets_new_connections_until_one_ends()
    {
        var proxier = await Start(new ProxyOptions { MaxConnectionsPerListener = 2 }, "web", "db");
        var web = proxier.ListenerOf(Web)!;
        using var first = await EchoClient.ConnectAsync(web);
        using var second = await EchoClient.ConnectAsync(web);

        Assert.Contains(await EchoClient.Rejection(web), new[] { "reset", "closed" });
        Assert.Equal("a", await EchoClient.BackendOf(proxier.ListenerOf(Db)!));
        Assert.Single(Warnings("reset: over its listener's limit of 2 connections"));

        second.Dispose();
        await Eventually.Until(() => proxier.ActiveConnections == 1, "the closed connection to be let go");
        Assert.Equal("a", await EchoClient.BackendOf(web));
        Assert.Equal("still open", await first.EchoAsync("still open"));
    }

    [Fact]
    public async Task The_proxy_over_its_total_limit_resets_connections_on_every_listener()
    {
        var proxier = await Start(new ProxyOptions { MaxConnections = 1 }, "web", "db");
        using var held = await EchoClient.ConnectAsync(proxier.ListenerOf(Web)!);

        Assert.Contains(await EchoClient.Rejection(proxier.ListenerOf(Db)!), new[] { "reset", "closed" });
        Assert.Single(Warnings("reset: over the proxy's limit of 1 connections"));

        held.Dispose();
        await Eventually.Until(() => proxier.ActiveConnections == 0, "the closed connection to be let go");
        Assert.Equal("a", await EchoClient.BackendOf(proxier.ListenerOf(Db)!));
    }

    [Fact]
    public async Task A_connection_with_no_traffic_for_the_idle_timeout_is_closed()
    {
        var proxier = await Start(new ProxyOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) }, "web");
        using var idle = await EchoClient.ConnectAsync(proxier.ListenerOf(Web)!);

        // The proxy ends the connection: the client reads the end of the stream, within the client's own timeout.
        Assert.Null(await idle.ReadLineAsync());
        await Eventually.Until(() => proxier.ActiveConnections == 0, "the idle connection to be let go");
        Assert.True(_logs.Contains(LogLevel.Debug, "nothing sent either way for 00:00:00.3000000"));
    }

    [Fact]
    public async Task Per_connection_warnings_are_limited_to_one_per_listener_per_interval_and_count_the_rest()
    {
        var proxier = await Start(new ProxyOptions { MaxConnectionsPerListener = 1, WarningInterval = TimeSpan.FromSeconds(10) }, "web");
        var web = proxier.ListenerOf(Web)!;
        using var held = await EchoClient.ConnectAsync(web);

        for (var i = 0; i < 4; i++) await EchoClient.Rejection(web);
        Assert.Equal(["(0 such warnings held back since the last)"], Warnings("over its listener's").Select(Tail));

        _time.Advance(TimeSpan.FromSeconds(10));
        await EchoClient.Rejection(web);
        Assert.Equal(["(0 such warnings held back since the last)", "(3 such warnings held back since the last)"],
            Warnings("over its listener's").Select(Tail));
    }

    [Fact]
    public void Limits_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyOptions { MaxConnections = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyOptions { MaxConnectionsPerListener = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyOptions { IdleTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyOptions { IdleTimeout = TimeSpan.FromDays(25) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyOptions { WarningInterval = TimeSpan.FromSeconds(-1) });
        var defaults = new ProxyOptions();
        Assert.Equal((10_000, 1_000, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
            (defaults.MaxConnections, defaults.MaxConnectionsPerListener, defaults.IdleTimeout, defaults.WarningInterval));
    }

    private static string Tail(LogEntry entry) => entry.Message[entry.Message.LastIndexOf('(')..];
}
