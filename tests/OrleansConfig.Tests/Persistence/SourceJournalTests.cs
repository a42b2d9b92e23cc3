using OrleansConfig.Persistence;
using OrleansConfig.State;
using OrleansConfig.Tests.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Persistence;

public sealed class SourceJournalTests
{
    private static readonly GrainId Owner = GrainId.Create("source", "a");
    private readonly DictionaryGrainStorage _storage = new();
    private readonly JournalOptions _options = new() { CompactionMinItems = 8, CompactionRatio = 0.5, ReadBatch = 4 };

    private SourceJournal NewJournal() => new(_storage, Owner, "a", _options);

    /// <summary>Applies an update the way SourceGrain does: plan, journal, commit, compact when due.</summary>
    private static async Task Change(SourceJournal journal, SourceState state, SourceUpdate update, SourceBookkeeping? book = null)
    {
        var delta = state.Plan(update, DateTimeOffset.UnixEpoch, out var slices);
        book ??= new SourceBookkeeping();
        await journal.Append(delta, book, slices);
        state.Commit(delta, slices);
        if (journal.CompactionDue(state.Services.Count + state.Endpoints.Count + state.Slices.Count)) await journal.Compact(state, book);
    }

    [Fact]
    public async Task Reload_replays_the_journal_after_the_snapshot()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        for (var i = 0; i < 30; i++) await Change(journal, state, new ServiceUpdate(Operation.Add, [Service($"s{i}")]));
        await Change(journal, state, new ServiceUpdate(Operation.Remove, [Service("s3")]));
        await Change(journal, state, new EndpointsUpdate(Operation.Add, [Addresses("s1", "10.0.0.1")]));

        var (reloaded, _) = await NewJournal().Load(default);

        Assert.Equal(DescribeSorted(state.Services.Items), DescribeSorted(reloaded.Services.Items));
        Assert.Equal(DescribeSorted(state.Endpoints.Items), DescribeSorted(reloaded.Endpoints.Items));
        Assert.Equal(32, reloaded.Sequence);
    }

    [Fact]
    public async Task Slices_and_shadowed_endpoints_survive_a_reload_from_the_journal_and_from_a_snapshot()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        await Change(journal, state, new EndpointsUpdate(Operation.Add, [Endpoints("web", "shop", "10.9.9.9")]));
        await Change(journal, state, new EndpointSliceUpdate(Operation.Add,
            [SourceStateSliceTests.Slice("web-1", "web", "IPv4", "10.0.0.1"), SourceStateSliceTests.Slice("web-2", "web", "IPv4", "10.0.0.2")]));
        await Change(journal, state, new EndpointSliceUpdate(Operation.Remove, [SourceStateSliceTests.Slice("web-2", "web", "IPv4")]));

        var (reloaded, _) = await NewJournal().Load(default);
        for (var i = 0; i < 20; i++) await Change(journal, state, new ServiceUpdate(Operation.Add, [Service($"s{i}")]));
        var (compacted, _) = await NewJournal().Load(default);

        foreach (var loaded in new[] { reloaded, compacted })
        {
            Assert.Equal(["shop/web-1@a"], DescribeSorted(loaded.Slices.Items));
            Assert.Equal(["shop/web@a"], DescribeSorted(loaded.Shadowed.Items));
            Assert.Equal(state.Endpoints.Get(new ObjectKey("shop", "web")), loaded.Endpoints.Get(new ObjectKey("shop", "web")));
            Assert.Equal("10.0.0.1", loaded.Endpoints.Get(new ObjectKey("shop", "web"))!.Subsets[0].Addresses[0].Ip);
        }
        // The slice index is rebuilt too: removing the last slice brings the v1 Endpoints back.
        var delta = compacted.Plan(new EndpointSliceUpdate(Operation.Remove, [SourceStateSliceTests.Slice("web-1", "web", "IPv4")]), default);
        Assert.Equal("10.9.9.9", Assert.Single(delta.UpsertedEndpoints).Subsets[0].Addresses[0].Ip);
    }

    [Fact]
    public async Task Compaction_drops_the_journal_it_replaces()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        for (var i = 0; i < 100; i++) await Change(journal, state, new ServiceUpdate(Operation.Add, [Service($"s{i}")]));

        // One snapshot plus the entries journaled since the last compaction, not one record per change.
        Assert.True(_storage.Records < 1 + 100 * _options.CompactionRatio, $"{_storage.Records} records left");
        var (reloaded, _) = await NewJournal().Load(default);
        Assert.Equal(100, reloaded.Services.Count);
    }

    [Fact]
    public async Task Writes_per_change_stay_flat_as_the_state_grows()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        await Change(journal, state, new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, 10_000).Select(i => Service($"big{i}"))]));
        var before = _storage.Writes;

        for (var i = 0; i < 100; i++) await Change(journal, state, new ServiceUpdate(Operation.Add, [Service($"s{i}")]));

        // Each single-item change is one small write; the 10,000-item state is not rewritten.
        Assert.Equal(100, _storage.Writes - before);
    }

    [Fact]
    public async Task Bookkeeping_survives_a_reload()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        var book = new SourceBookkeeping { Synced = true, LastError = "bad file", ServicesRevision = 42 };
        await Change(journal, state, new ServiceUpdate(Operation.Add, [Service("foo")]) { Revision = 42 }, book);

        var (reloaded, reloadedBook) = await NewJournal().Load(default);

        Assert.Equal(book, reloadedBook);
        Assert.Equal(42, reloaded.ServicesRevision);
    }

    [Fact]
    public async Task Change_as_large_as_the_state_is_written_as_the_snapshot_itself()
    {
        var journal = NewJournal();
        var (state, _) = await journal.Load(default);
        await Change(journal, state, new ServiceUpdate(Operation.Add, [Service("old")]));
        var set = state.Plan(new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, 50).Select(i => Service($"n{i}"))]),
            DateTimeOffset.UnixEpoch);
        Assert.True(journal.SnapshotInstead(set.Size, state.Services.Count));
        var writes = _storage.Writes;

        var (services, endpoints) = state.Project(set);
        await journal.Compact(services, endpoints, set.Sequence, new SourceBookkeeping());
        state.Commit(set);

        Assert.Equal(1, _storage.Writes - writes);
        Assert.Equal(1, _storage.Records);
        var (reloaded, _) = await NewJournal().Load(default);
        Assert.Equal(DescribeSorted(state.Services.Items), DescribeSorted(reloaded.Services.Items));
        Assert.Equal(2, reloaded.Sequence);
    }
}
