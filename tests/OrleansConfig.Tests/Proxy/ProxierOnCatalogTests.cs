using Microsoft.Extensions.Logging;
using OrleansConfig.Proxy;
using OrleansConfig.Tests.Client;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Proxy.ProxyItems;

namespace OrleansConfig.Tests.Proxy;

/// <summary>The proxier following a <see cref="ServiceCatalog"/> (over a fake aggregator), as the <c>proxy</c> command runs it.</summary>
public sealed class ProxierOnCatalogTests : IAsyncLifetime
{
    private static readonly ServicePortName Web = Port("default", "web");
    private static readonly ServicePortName Db = Port("default", "db");

    private readonly CapturingLoggerFactory _logs = new();
    private readonly FakeAggregator _aggregator = new();
    private readonly List<ListenerEvent> _events = [];
    private EchoBackend _a = null!;
    private EchoBackend _b = null!;
    private ServiceCatalog _catalog = null!;
    private Proxier _proxier = null!;

    public Task InitializeAsync()
    {
        _a = EchoBackend.Start("a");
        _b = EchoBackend.Start("b");
        var options = new ProxyOptions { Priority = ["manual"] };
        _catalog = new ServiceCatalog(
            _aggregator,
            new ServiceCatalogOptions
            {
                SourcePriority = options.Priority,
                Client = new ConfigClientOptions { ProbeInterval = TimeSpan.Zero },
            },
            _logs);
        _proxier = new Proxier(options, _logs, onListener: e =>
        {
            lock (_events) _events.Add(e);
        });
        _proxier.Follow(_catalog);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxier.DisposeAsync();
        await _catalog.DisposeAsync();
        await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask());
    }

    private ListenerEvent[] Events
    {
        get { lock (_events) return [.. _events]; }
    }

    [Fact]
    public async Task The_catalogs_winner_is_proxied_and_only_changed_services_are_replanned()
    {
        _aggregator.Publish(
            "etcd",
            services: [Sourced("default", "web", "etcd"), Sourced("default", "db", "etcd")],
            endpoints: [LoopbackEndpoints("default", "web", "etcd", _a.Port)]);
        _aggregator.Publish(
            "manual", services: [Sourced("default", "web", "manual")], endpoints: [LoopbackEndpoints("default", "web", "manual", _b.Port)]);
        await Eventually.Until(
            () => _proxier.State().Ports.Any(p => p.Name == "web" && p.Source == "manual" && p.Listen is not null), "web from manual");
        var web = _proxier.ListenerOf(Web)!;
        var db = _proxier.ListenerOf(Db)!;

        Assert.Equal(["b", "b"], [await EchoClient.BackendOf(web), await EchoClient.BackendOf(web)]);

        // manual's Service goes: etcd's wins, with etcd's backends, on the same listener; db is left as it was.
        _aggregator.Publish("manual", removeServices: [Key("default", "web")]);
        await Eventually.Until(() => _proxier.State().Ports.Any(p => p.Name == "web" && p.Source == "etcd"), "web from etcd");

        Assert.Equal("a", await EchoClient.BackendOf(web));
        Assert.Equal(web, _proxier.ListenerOf(Web));
        Assert.Equal(db, _proxier.ListenerOf(Db));
        Assert.Equal(2, Events.Count(e => e.Kind == ListenerEventKind.Opened));
        Assert.DoesNotContain(Events, e => e.Kind == ListenerEventKind.Closed);
        // The catalog reports the conflict; the proxier does not repeat it.
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(
            "published by several sources (manual, etcd); using manual's", StringComparison.Ordinal));

        _aggregator.Publish("etcd", removeServices: [Key("default", "db")]);
        await Eventually.Until(() => _proxier.ListenerOf(Db) is null, "db's listener to close");
        Assert.Equal(["web"], _proxier.State().Ports.Select(p => p.Name));
        Assert.Single(Events, e => e.Kind == ListenerEventKind.Closed && e.Name == Db && e.Listen!.Equals(db));
    }
}
