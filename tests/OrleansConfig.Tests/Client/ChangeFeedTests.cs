using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

/// <summary>
/// A shared union's change feed: each run of deltas one batch; a handler owes a range of batches and a range is folded
/// once for every handler that asks for it.
/// </summary>
public sealed class ChangeFeedTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static Service Web(string rev) => Versioned("default", "web", "etcd", rev);

    private static Service Api(string rev) => Versioned("default", "api", "etcd", rev);

    private static ItemChange<Service> Change(Service? old, Service? now) => new(UnionKey.Of((old ?? now)!), old, now);

    [Fact]
    public void Handlers_asking_for_the_same_range_share_one_fold_in_union_order()
    {
        var feed = new ChangeFeed<Service>();
        var first = feed.Append(V(Epoch, 1), 1, [Change(null, Web("1"))]);
        feed.Append(V(Epoch, 2), 2, [Change(Web("1"), Web("2"))]);
        var last = feed.Append(V(Epoch, 3), 3, [Change(null, Api("1"))]);

        var folded = feed.Fold(first, last);

        Assert.Same(folded, feed.Fold(first, last));
        Assert.Same(feed.Fold(last, last), feed.Fold(last, last));
        // An add then an update is an add of the newest; the lists are in union order (api before web).
        Assert.Equal("+default/api@etcd:1 +default/web@etcd:2", ChangeText.Of(folded));
        Assert.Equal(V(Epoch, 3), folded.Version);
        Assert.False(folded.Initial);
    }

    [Fact]
    public void A_range_whose_changes_cancel_out_is_empty()
    {
        var feed = new ChangeFeed<Service>();
        var first = feed.Append(V(Epoch, 1), 1, [Change(null, Web("1"))]);
        var last = feed.Append(V(Epoch, 2), 2, [Change(Web("1"), null)]);

        Assert.Equal("", ChangeText.Of(feed.Fold(first, last)));
        Assert.Equal("+default/web@etcd:1", ChangeText.Of(feed.Fold(first, first)));
        Assert.Equal("-default/web@etcd:1", ChangeText.Of(feed.Fold(last, last)));
    }

    [Fact]
    public async Task A_stuck_handler_owes_at_most_a_bounded_range_then_only_the_distinct_keys_and_gets_their_net_change()
    {
        var feed = new ChangeFeed<Service>();
        var release = new TaskCompletionSource();
        var calls = new List<string>();
        var second = new TaskCompletionSource();
        var dispatcher = new ChangeDispatcher<Service>(
            "stuck", async changes =>
            {
                lock (calls) calls.Add(ChangeText.Of(changes));
                if (changes.Initial) await release.Task;
                else second.TrySetResult();
            },
            feed, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeProvider.System,
            NullLogger<ChangeDispatcher<Service>>.Instance);
        dispatcher.Start();
        await using var _ = dispatcher;

        var current = Enumerable.Range(0, 10).Select(k => Versioned("default", $"k{k}", "etcd", "0")).ToArray();
        dispatcher.Enqueue(feed.Append(V(Epoch, 1), 1, [.. current.Select(s => Change(null, s))]));
        await Eventually.Until(() => { lock (calls) return calls.Count == 1; }, "the initial call, which then blocks");

        // Far more changes than a range may hold while the handler is stuck: each a single update of one of ten keys.
        const int updates = ChangeDispatcher<Service>.MaxChainItems + 1_000;
        for (var i = 0; i < updates; i++)
        {
            var k = i % 10;
            var next = Versioned("default", $"k{k}", "etcd", $"{i + 1}");
            dispatcher.Enqueue(feed.Append(V(Epoch, i + 2), i + 2, [Change(current[k], next)]));
            current[k] = next;
            Assert.True(dispatcher.OwedInFeed <= ChangeDispatcher<Service>.MaxChainItems, $"owed {dispatcher.OwedInFeed} after {i + 1}");
        }
        release.SetResult();
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));

        lock (calls)
        {
            Assert.Equal(2, calls.Count);
            Assert.Equal(string.Join(" ", Enumerable.Range(0, 10).Select(k => $"+default/k{k}@etcd:0")), calls[0]);
            // The net change of each key since the initial call, whatever the number of updates in between.
            Assert.Equal(
                string.Join(" ", Enumerable.Range(0, 10).Select(k => $"~default/k{k}@etcd:0>{current[k].Rev()}")),
                calls[1]);
        }
    }
}
