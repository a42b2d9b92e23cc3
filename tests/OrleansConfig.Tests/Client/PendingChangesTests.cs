using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class PendingChangesTests
{
    private static readonly UnionVersion At = V(Guid.NewGuid(), 7);
    private static readonly UnionKey Key = new("default", "web", "etcd");

    private static Service Rev(string rev) => Versioned("default", "web", "etcd", rev);

    /// <summary>"+web:1", "~web:1>2", "-web:1" or "" (nothing pending): the one key's pending change.</summary>
    private static string Describe(PendingChanges<Service> pending) => ChangeText.Of(pending.ToChanges(At, initial: false));

    // Each operation as the view reports it: add (nothing → a), update (a → b), remove (a → nothing). The handler saw
    // nothing before an add and "1" before an update or remove; the second operation starts where the first ended.
    [Theory]
    [InlineData("add", "remove", "")]
    [InlineData("add", "update", "+default/web@etcd:3")]
    [InlineData("add", "add", "+default/web@etcd:3")]
    [InlineData("update", "update", "~default/web@etcd:1>3")]
    [InlineData("update", "remove", "-default/web@etcd:1")]
    [InlineData("update", "add", "~default/web@etcd:1>3")]
    [InlineData("remove", "add", "~default/web@etcd:1>3")]
    [InlineData("remove", "remove", "-default/web@etcd:1")]
    [InlineData("remove", "update", "~default/web@etcd:1>3")]
    public void Two_changes_of_one_item_fold_into_the_one_change_from_what_the_handler_saw(string first, string second, string expected)
    {
        var pending = new PendingChanges<Service>();
        // add+add, remove+remove, update+add and remove+update cannot come from the view; they fold by the same rule.
        var seen = first == "add" ? null : Rev("1");
        var afterFirst = Apply(pending, first, seen, Rev("2"));
        Apply(pending, second, afterFirst, Rev("3"));

        Assert.Equal(expected, Describe(pending));
    }

    private static Service? Apply(PendingChanges<Service> pending, string op, Service? before, Service next)
    {
        var after = op == "remove" ? null : next;
        pending.Fold(Key, op == "add" ? null : before, after);
        return after;
    }

    [Fact]
    public void A_remove_and_an_identical_add_is_no_change()
    {
        var pending = new PendingChanges<Service>();
        pending.Fold(Key, Rev("1"), null);
        pending.Fold(Key, null, Rev("1"));

        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void Updates_that_come_back_to_what_the_handler_saw_are_no_change()
    {
        var pending = new PendingChanges<Service>();
        pending.Fold(Key, Rev("1"), Rev("2"));
        pending.Fold(Key, Rev("2"), Rev("1"));

        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void A_batch_put_back_after_a_failure_folds_under_the_changes_that_came_since()
    {
        var pending = new PendingChanges<Service>();
        pending.Fold(Key, Rev("1"), Rev("2"));
        pending.Fold(new UnionKey("default", "gone", "etcd"), null, Versioned("default", "gone", "etcd"));
        var failed = pending.Take();
        Assert.Equal(0, pending.Count);

        pending.Fold(Key, Rev("2"), Rev("3"));
        pending.Fold(new UnionKey("default", "gone", "etcd"), Versioned("default", "gone", "etcd"), null);
        pending.Fold(new UnionKey("default", "new", "file"), null, Versioned("default", "new", "file"));
        pending.Restore(failed);

        Assert.Equal("+default/new@file:1 ~default/web@etcd:1>3", ChangeText.Of(pending.ToChanges(At, initial: false)));
    }

    [Fact]
    public void Changes_come_out_in_union_order_with_their_version()
    {
        var pending = new PendingChanges<Service>();
        pending.Fold(new UnionKey("b", "x", "etcd"), null, Versioned("b", "x", "etcd"));
        pending.Fold(new UnionKey("a", "y", "file"), null, Versioned("a", "y", "file"));
        pending.Fold(new UnionKey("a", "y", "etcd"), null, Versioned("a", "y", "etcd"));
        pending.Fold(new UnionKey("a", "b", "etcd"), Versioned("a", "b", "etcd"), null);
        pending.Fold(new UnionKey("a", "a", "etcd"), Versioned("a", "a", "etcd"), Versioned("a", "a", "etcd", "2"));

        var changes = pending.ToChanges(At, initial: true);

        Assert.Equal(["a/y@etcd", "a/y@file", "b/x@etcd"], changes.Added.Describe());
        Assert.Equal(["a/a@etcd"], changes.Updated.Select(u => u.New).Describe());
        Assert.Equal(["a/b@etcd"], changes.Removed.Describe());
        Assert.Equal(At, changes.Version);
        Assert.True(changes.Initial);
    }

    [Fact]
    public void All_added_owes_every_item_as_added()
    {
        var items = new[] { Versioned("a", "x", "etcd"), Versioned("a", "y", "etcd") }.ToDictionary(UnionKey.Of);

        var changes = PendingChanges<Service>.AllAdded(items).ToChanges(At, initial: true);

        Assert.Equal("+a/x@etcd:1 +a/y@etcd:1", ChangeText.Of(changes));
    }
}
