using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class UnionViewTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    [Fact]
    public void Items_are_ordered_by_namespace_then_name_then_source()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1),
        [
            Versioned("b", "a", "etcd"),
            Versioned("a", "web", "manual"),
            Versioned("a", "api", "file"),
            Versioned("a", "web", "etcd"),
            Versioned("a", "Web", "file"),
        ]);

        // Ordinal: "Web" sorts before "api".
        Assert.Equal(["a/Web@file", "a/api@file", "a/web@etcd", "a/web@manual", "b/a@etcd"], view.Current().Items.Describe());
    }

    [Fact]
    public void The_same_name_from_two_sources_is_two_entries()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "web", "etcd", rev: "e"), Versioned("default", "web", "file", rev: "f")]);

        var items = view.Current().Items;
        Assert.Equal(["default/web@etcd", "default/web@file"], items.Describe());
        Assert.Equal(["e", "f"], items.Select(i => i.Rev()));
    }

    [Fact]
    public void The_same_name_in_two_namespaces_is_two_entries()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), []);
        view.ApplyDelta(V(Epoch, 2), "etcd", [Versioned("b", "web"), Versioned("a", "web")], []);

        Assert.Equal(["a/web@etcd", "b/web@etcd"], view.Current().Items.Describe());
    }

    [Fact]
    public void A_delta_upserts_and_removes_only_within_its_source()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1),
            [Versioned("default", "web", "etcd"), Versioned("default", "web", "file"), Versioned("default", "db", "file")]);

        var changed = view.ApplyDelta(V(Epoch, 2), "file", [Versioned("default", "web", rev: "2")], [new ObjectKey("default", "db")]);

        Assert.True(changed);
        var items = view.Current().Items;
        Assert.Equal(["default/web@etcd", "default/web@file"], items.Describe());
        Assert.Equal(["1", "2"], items.Select(i => i.Rev()));

        view.ApplyDelta(V(Epoch, 3), "etcd", [], [new ObjectKey("default", "web")]);
        Assert.Equal(["default/web@file"], view.Current().Items.Describe());
    }

    [Fact]
    public void Delta_items_are_tagged_with_their_source()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), []);
        view.ApplyDelta(V(Epoch, 2), "etcd", [Versioned("default", "web", source: "")], []);

        Assert.Equal("etcd", view.Current().Items.Single().Source());
    }

    [Fact]
    public void A_change_that_changes_nothing_moves_the_version_but_not_the_generation()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "web", "etcd")]);
        var generation = view.Generation;

        Assert.False(view.ApplyDelta(V(Epoch, 2), "etcd", [], [new ObjectKey("default", "missing")]));
        Assert.False(view.ApplyDelta(V(Epoch, 3), "etcd", [Versioned("default", "web")], []));
        Assert.False(view.ApplyDelta(V(Epoch, 4), "etcd", [Versioned("default", "web")], [new ObjectKey("default", "web")]));
        Assert.False(view.ApplyDelta(V(Epoch, 5), "file", [], []));

        Assert.Equal(generation, view.Generation);
        Assert.Equal(V(Epoch, 5), view.Version);
        Assert.Equal(V(Epoch, 5), view.Current().Version);
    }

    [Fact]
    public void A_key_removed_and_upserted_in_one_delta_ends_up_present()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "web", "etcd")]);

        Assert.True(view.ApplyDelta(V(Epoch, 2), "etcd", [Versioned("default", "web", rev: "2")], [new ObjectKey("default", "web")]));
        Assert.Equal("2", view.Current().Items.Single().Rev());
    }

    [Fact]
    public void The_first_snapshot_is_a_change_even_when_empty_and_an_identical_one_is_not()
    {
        var view = new UnionView<Service>();
        Assert.False(view.HasSnapshot);
        Assert.Equal(0, view.Generation);

        Assert.True(view.ApplySnapshot(V(Epoch, 1), []));
        Assert.True(view.HasSnapshot);
        Assert.Equal(1, view.Generation);

        Assert.True(view.ApplySnapshot(V(Epoch, 2), [Versioned("default", "web", "etcd")]));
        Assert.False(view.ApplySnapshot(V(Epoch, 3), [Versioned("default", "web", "etcd")]));
        Assert.Equal(2, view.Generation);
        Assert.Equal(V(Epoch, 3), view.Version);
    }

    [Fact]
    public void A_snapshot_replaces_everything()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "web", "etcd"), Versioned("default", "db", "file")]);
        view.ApplySnapshot(V(Epoch, 9), [Versioned("default", "api", "manual")]);

        Assert.Equal(["default/api@manual"], view.Current().Items.Describe());
        Assert.Equal(1, view.Count);
    }

    [Fact]
    public void Readers_of_one_generation_share_one_read_only_list()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "web", "etcd")]);

        var first = view.Current().Items;
        Assert.Same(first, view.Current().Items);
        Assert.Throws<NotSupportedException>(() => ((IList<Service>)first).Add(Versioned("x", "y")));

        view.ApplyDelta(V(Epoch, 2), "etcd", [Versioned("default", "db")], []);
        var second = view.Current().Items;
        Assert.NotSame(first, second);
        Assert.Single(first);
        Assert.Equal(2, second.Count);
    }

    [Fact]
    public void Config_groups_items_by_source_then_key()
    {
        var view = new UnionView<Endpoints>();
        view.ApplySnapshot(V(Epoch, 1),
            [
                VersionedEndpoints("default", "web", "etcd"), VersionedEndpoints("default", "web", "file"),
                VersionedEndpoints("kube-system", "dns", "file"),
            ]);

        var config = view.BySource();

        Assert.Equal(["etcd", "file"], config.Keys);
        Assert.Equal([new ObjectKey("default", "web")], config["etcd"].Keys);
        Assert.Equal([new ObjectKey("default", "web"), new ObjectKey("kube-system", "dns")], config["file"].Keys);
        Assert.Equal("file", config["file"][new ObjectKey("kube-system", "dns")].Source());
        Assert.Same(config, view.BySource());

        view.ApplyDelta(V(Epoch, 2), "etcd", [], [new ObjectKey("default", "web")]);
        Assert.Equal(["file"], view.BySource().Keys);
    }

    [Fact]
    public void Config_is_empty_before_the_first_snapshot()
    {
        var view = new UnionView<Service>();

        Assert.Empty(view.BySource());
        Assert.Empty(view.Current().Items);
    }
    private static string[] Text(IEnumerable<ItemChange<Service>> changes) =>
        [.. changes.Select(c => $"{c.Key}:{c.Old?.Rev() ?? "-"}>{c.New?.Rev() ?? "-"}")];

    [Fact]
    public void A_delta_reports_each_item_it_altered_with_its_value_before_and_after()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "a", "etcd"), Versioned("default", "b", "etcd"), Versioned("default", "c", "etcd")]);
        var changes = new List<ItemChange<Service>>();

        var changed = view.ApplyDelta(V(Epoch, 2), "etcd",
            [Versioned("default", "a", rev: "2"), Versioned("default", "b"), Versioned("default", "d"), Versioned("default", "c", rev: "3")],
            [new ObjectKey("default", "c"), new ObjectKey("default", "missing")],
            changes);

        // b is rewritten unchanged and "missing" never was: neither is a change. c, removed and re-added, is reported once.
        Assert.True(changed);
        Assert.Equal(["default/c@etcd:1>3", "default/a@etcd:1>2", "default/d@etcd:->1"], Text(changes));
    }

    [Fact]
    public void A_delta_reports_a_removal_with_the_value_it_removed()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("default", "a", "etcd", rev: "5")]);
        var changes = new List<ItemChange<Service>>();

        view.ApplyDelta(V(Epoch, 2), "etcd", [], [new ObjectKey("default", "a")], changes);

        Assert.Equal(["default/a@etcd:5>-"], Text(changes));
    }

    [Fact]
    public void A_snapshot_reports_exactly_the_difference_from_the_view_before_it()
    {
        var view = new UnionView<Service>();
        var first = new List<ItemChange<Service>>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("a", "x", "etcd"), Versioned("a", "y", "etcd"), Versioned("b", "z", "file")], first);
        var changes = new List<ItemChange<Service>>();

        view.ApplySnapshot(V(Epoch, 9), [Versioned("a", "w", "etcd"), Versioned("a", "y", "etcd", rev: "2"), Versioned("b", "z", "file")], changes);

        Assert.Equal(["a/x@etcd:->1", "a/y@etcd:->1", "b/z@file:->1"], Text(first));
        Assert.Equal(["a/w@etcd:->1", "a/x@etcd:1>-", "a/y@etcd:1>2"], Text(changes));
    }

    [Fact]
    public void A_snapshot_with_the_same_content_reports_nothing()
    {
        var view = new UnionView<Service>();
        view.ApplySnapshot(V(Epoch, 1), [Versioned("a", "x", "etcd")]);
        var changes = new List<ItemChange<Service>>();

        Assert.False(view.ApplySnapshot(V(Guid.NewGuid(), 1), [Versioned("a", "x", "etcd")], changes));
        Assert.Empty(changes);
    }
}
