using OrleansConfig.Client;
using static OrleansConfig.Testing.Items;
using Xunit;

namespace OrleansConfig.Tests.Client;

/// <summary>The catalog's rule without a cluster: three sources, both kinds, one key recomputed per change.</summary>
public sealed class CatalogStateTests
{
    private static readonly Guid Epoch = Guid.NewGuid();
    private static readonly ObjectKey Web = new("default", "web");
    private static readonly ObjectKey Db = new("default", "db");

    /// <summary>Endpoints with one ready address on the unnamed port 8080.</summary>
    private static Endpoints At(string name, string source, string ip) => SourcedEndpoints("default", name, source, Subset([ip], [], EndpointPort(8080)));

    private static CatalogState ThreeSources(params string[] priority)
    {
        var state = new CatalogState(new SourcePriority(priority));
        state.ApplySnapshot(
            new UnionVersion(Epoch, 1),
            [Sourced("default", "web", "etcd"), Sourced("default", "web", "file"), Sourced("default", "web", "manual")],
            [At("web", "etcd", "10.0.0.1"), At("web", "file", "10.0.0.2"), At("web", "manual", "10.0.0.3")]);
        return state;
    }

    private static CatalogEntry Entry(CatalogState state, ObjectKey key) =>
        state.TryGet(key, out var entry) ? entry : throw new Xunit.Sdk.XunitException($"{key} has no entry");

    [Fact]
    public void The_first_source_of_the_priority_list_wins_with_its_own_endpoints()
    {
        var state = ThreeSources("manual", "etcd");

        var web = Entry(state, Web);
        Assert.Equal("manual", web.Source);
        Assert.Equal("manual", web.Service.Source());
        Assert.Equal("manual", web.Endpoints!.Source());
        Assert.Equal(["10.0.0.3:8080"], web.Ports[""]);
        Assert.Equal(["etcd", "file"], web.OtherSources);
        Assert.True(web.HasConflict);
        Assert.Equal(new UnionVersion(Epoch, 1), state.Version);
    }

    [Fact]
    public void Without_a_listed_source_the_alphabetically_first_wins()
    {
        var state = ThreeSources("other");

        var web = Entry(state, Web);
        Assert.Equal("etcd", web.Source);
        Assert.Equal(["10.0.0.1:8080"], web.Ports[""]);
        Assert.Equal(["file", "manual"], web.OtherSources);
    }

    [Fact]
    public void The_winner_never_gets_another_sources_endpoints()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(
            new UnionVersion(Epoch, 1),
            [Sourced("default", "web", "etcd"), Sourced("default", "web", "file")],
            [At("web", "file", "10.0.0.2"), At("web", "manual", "10.0.0.3")]);

        var web = Entry(state, Web);
        Assert.Equal("etcd", web.Source);
        Assert.Null(web.Endpoints);
        Assert.Equal([], web.Ports[""]);
        Assert.Equal(["file"], web.OtherSources);
    }

    [Fact]
    public void When_the_winner_removes_its_service_the_next_source_wins_with_its_endpoints()
    {
        var state = ThreeSources("manual", "etcd");

        var update = state.ApplyDelta(new UnionVersion(Epoch, 2), "manual", [], [Web], [], []);

        Assert.Equal([Web], update.Changed);
        var web = Entry(state, Web);
        Assert.Equal(("etcd", "etcd"), (web.Source, web.Endpoints!.Source()));
        Assert.Equal(["10.0.0.1:8080"], web.Ports[""]);
        Assert.Equal(["file"], web.OtherSources);
        Assert.Equal(new UnionVersion(Epoch, 2), state.Version);
    }

    [Fact]
    public void A_service_no_source_publishes_any_more_leaves_the_catalog_even_with_endpoints_left()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(new UnionVersion(Epoch, 1), [Sourced("default", "web", "etcd")], [At("web", "etcd", "10.0.0.1")]);

        var update = state.ApplyDelta(new UnionVersion(Epoch, 2), "etcd", [], [Web], [], []);

        Assert.Equal([Web], update.Changed);
        Assert.False(state.TryGet(Web, out _));
        Assert.Empty(state.Entries);
    }

    [Fact]
    public void Ports_resolve_to_the_ready_addresses_at_the_endpoint_port_of_the_same_name_and_protocol()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(
            new UnionVersion(Epoch, 1),
            [Sourced("default", "web", "file", ServicePort(80, "http"), ServicePort(443, "https"), ServicePort(53, "dns", "UDP"))],
            [SourcedEndpoints("default", "web", "file",
                Subset(
                    ["10.0.0.2", "10.0.0.1", "fd00::1"], ["10.0.0.9"], EndpointPort(8080, "http"), EndpointPort(8443, "https"), EndpointPort(53, "dns", "TCP")),
                Subset(["10.0.0.1", "10.0.0.3"], [], EndpointPort(8080, "http")),
                Subset(["10.0.0.4"], [], EndpointPort(9090, "metrics")))]);

        var web = Entry(state, Web);
        Assert.Equal(["dns", "http", "https"], web.Ports.Keys);
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080", "[fd00::1]:8080"], web.Ports["http"]);
        Assert.Equal(["10.0.0.1:8443", "10.0.0.2:8443", "[fd00::1]:8443"], web.Ports["https"]);
        Assert.Equal([], web.Ports["dns"]);
    }

    [Fact]
    public void Resolving_without_a_port_name_takes_the_unnamed_port_else_the_services_first_port()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(
            new UnionVersion(Epoch, 1),
            [Sourced("default", "web", "file", ServicePort(443, "https"), ServicePort(80, "http")), Sourced("default", "db", "file", ServicePort(5432))],
            [
                SourcedEndpoints("default", "web", "file", Subset(["10.0.0.1"], [], EndpointPort(8080, "http"), EndpointPort(8443, "https"))),
                SourcedEndpoints("default", "db", "file", Subset(["10.0.0.5"], [], EndpointPort(5433))),
            ]);

        Assert.Equal(["10.0.0.5:5433"], CatalogState.Resolve(Entry(state, Db), null));
        Assert.Equal(["10.0.0.5:5433"], CatalogState.Resolve(Entry(state, Db), ""));
        Assert.Equal(["10.0.0.1:8443"], CatalogState.Resolve(Entry(state, Web), null));
        Assert.Equal(["10.0.0.1:8080"], CatalogState.Resolve(Entry(state, Web), "http"));
        Assert.Equal([], CatalogState.Resolve(Entry(state, Web), "grpc"));
    }

    [Fact]
    public void A_delta_recomputes_only_the_keys_it_names_and_reports_only_entries_that_changed()
    {
        var state = ThreeSources("manual");
        state.ApplyDelta(new UnionVersion(Epoch, 2), "file", [Sourced("default", "db", "file")], [], [], []);
        var db = Entry(state, Db);
        var web = Entry(state, Web);

        // A losing source's Endpoints change: the winner's entry is the same.
        var losing = state.ApplyDelta(new UnionVersion(Epoch, 3), "etcd", [], [], [At("web", "etcd", "10.0.0.7")], []);
        var winning = state.ApplyDelta(new UnionVersion(Epoch, 4), "manual", [], [], [At("web", "manual", "10.0.0.8")], []);

        Assert.Empty(losing.Changed);
        Assert.Equal([Web], winning.Changed);
        Assert.Same(db, Entry(state, Db));
        Assert.NotEqual(web, Entry(state, Web));
        Assert.Equal(["10.0.0.8:8080"], Entry(state, Web).Ports[""]);
    }

    [Fact]
    public void A_snapshot_reports_only_the_keys_whose_entry_differs()
    {
        var state = ThreeSources("manual");
        state.ApplyDelta(new UnionVersion(Epoch, 2), "file", [Sourced("default", "db", "file")], [], [], []);

        var update = state.ApplySnapshot(
            new UnionVersion(Epoch, 9),
            [Sourced("default", "web", "etcd"), Sourced("default", "web", "file"), Sourced("default", "web", "manual"), Sourced("default", "cache", "file")],
            [At("web", "etcd", "10.0.0.1"), At("web", "file", "10.0.0.2"), At("web", "manual", "10.0.0.3")]);

        Assert.Equal([new ObjectKey("default", "cache"), Db], update.Changed);
        Assert.Equal([new ObjectKey("default", "cache"), Web], state.Entries.Keys);
    }

    [Fact]
    public void A_conflict_is_news_once_while_it_lasts_and_again_when_it_comes_back_or_its_sources_change()
    {
        var state = new CatalogState(new SourcePriority(["manual"]));

        var first = state.ApplySnapshot(new UnionVersion(Epoch, 1), [Sourced("default", "web", "etcd"), Sourced("default", "web", "file"), Sourced("default", "db", "etcd")], []);
        var same = state.ApplyDelta(
            new UnionVersion(Epoch, 2), "etcd", [Sourced("default", "web", "etcd", ServicePort(81))], [], [At("web", "etcd", "10.0.0.1")], []);
        var resync = state.ApplySnapshot(
            new UnionVersion(Epoch, 3), [Sourced("default", "web", "etcd", ServicePort(81)), Sourced("default", "web", "file"), Sourced("default", "db", "etcd")], []);
        var widened = state.ApplyDelta(new UnionVersion(Epoch, 4), "manual", [Sourced("default", "web", "manual")], [], [], []);
        var ended = state.ApplyDelta(new UnionVersion(Epoch, 5), "manual", [], [Web], [], []);
        var ended2 = state.ApplyDelta(new UnionVersion(Epoch, 6), "file", [], [Web], [], []);
        var back = state.ApplyDelta(new UnionVersion(Epoch, 7), "file", [Sourced("default", "web", "file")], [], [], []);

        Assert.Equal(["etcd, file"], first.NewConflicts.Select(Sources));
        Assert.Empty(same.NewConflicts);
        Assert.Empty(resync.NewConflicts);
        Assert.Equal(["manual, etcd, file"], widened.NewConflicts.Select(Sources));
        Assert.Equal(["etcd, file"], ended.NewConflicts.Select(Sources));
        Assert.Empty(ended2.NewConflicts);
        Assert.False(Entry(state, Db).HasConflict);
        Assert.Equal(["etcd, file"], back.NewConflicts.Select(Sources));
    }

    [Fact]
    public void A_rolling_update_routes_to_ready_then_terminating_then_the_new_ready_address()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(new UnionVersion(Epoch, 1), [Sourced("default", "web", "file")], [At("web", "file", "10.0.0.1")]);
        var ready = Entry(state, Web);

        var draining = state.ApplyDelta(new UnionVersion(Epoch, 2), "file", [], [],
            [SourcedEndpoints("default", "web", "file", SubsetWithNotReady([], [TerminatingAddress("10.0.0.1")], EndpointPort(8080)))], []);
        var terminating = Entry(state, Web);
        state.ApplyDelta(new UnionVersion(Epoch, 3), "file", [], [],
            [SourcedEndpoints("default", "web", "file", SubsetWithNotReady(["10.0.0.2"], [TerminatingAddress("10.0.0.1")], EndpointPort(8080)))], []);
        var replaced = Entry(state, Web);
        state.ApplyDelta(new UnionVersion(Epoch, 4), "file", [], [],
            [SourcedEndpoints("default", "web", "file", SubsetWithNotReady([], [TerminatingAddress("10.0.0.1", serving: false)], EndpointPort(8080)))], []);
        var stopped = Entry(state, Web);

        Assert.Equal(["10.0.0.1:8080"], ready.Ports[""]);
        Assert.Empty(ready.TerminatingPorts);
        Assert.Equal([Web], draining.Changed);
        Assert.Equal(["10.0.0.1:8080"], terminating.Ports[""]);
        Assert.Equal([""], terminating.TerminatingPorts);
        Assert.Equal(["10.0.0.1:8080"], CatalogState.Resolve(terminating, null));
        Assert.Equal(["10.0.0.2:8080"], replaced.Ports[""]);
        Assert.Empty(replaced.TerminatingPorts);
        Assert.Equal([], stopped.Ports[""]);
        Assert.Empty(stopped.TerminatingPorts);
    }

    [Fact]
    public void V1_not_ready_addresses_are_no_fallback()
    {
        var state = new CatalogState(SourcePriority.Alphabetical);
        state.ApplySnapshot(new UnionVersion(Epoch, 1), [Sourced("default", "web", "file")],
            [SourcedEndpoints("default", "web", "file", Subset([], ["10.0.0.1"], EndpointPort(8080)))]);

        var web = Entry(state, Web);
        Assert.Equal([], web.Ports[""]);
        Assert.Empty(web.TerminatingPorts);
    }

    private static string Sources(CatalogEntry entry) => string.Join(", ", [entry.Source, .. entry.OtherSources]);
}
