using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class UnionSnapshotReaderTests
{
    /// <summary>The aggregator's paging door over a real pager; everything else is not used by the reader.</summary>
    private sealed class PagingAggregator : IAggregatorGrain
    {
        private readonly SnapshotPager _pager = new(new SnapshotOptions { MaxPageItems = 2, MaxReads = 1 });

        public UnionState Union { get; } = new(Guid.NewGuid());

        public List<string?> Asked { get; } = [];

        /// <summary>Runs after each page is served, e.g. to change the union between pages.</summary>
        public Action<int>? AfterPage { get; set; }

        public Task<UnionSnapshotPage> GetSnapshotPage(ConfigKinds kinds, string? continueToken, int limit)
        {
            Asked.Add(continueToken);
            var page = _pager.Page(kinds, continueToken, limit, Union.Version, Union.ToSnapshot, DateTimeOffset.UnixEpoch);
            AfterPage?.Invoke(Asked.Count);
            return Task.FromResult(page);
        }

        public Task Apply(SourceDelta delta) => throw new NotSupportedException();
        public Task CatchUp(string source, Guid incarnation, long sequence) => throw new NotSupportedException();
        public Task SetDropped(string source, bool dropped) => throw new NotSupportedException();
        public Task<UnionSnapshot> GetSnapshot() => throw new NotSupportedException();
        public Task<UnionVersion> GetVersion() => throw new NotSupportedException();
        public Task<SourceDelta?> GetChange(UnionVersion version, ConfigKinds kinds) => throw new NotSupportedException();
        public Task<bool> RemoveSource(string source) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> GetSources() => throw new NotSupportedException();
    }

    private static void Add(UnionState union, SourceState source, params string[] names)
    {
        var delta = source.Plan(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [.. names.Select(n => Service(n))]),
            Endpoints = new EndpointsUpdate(Operation.Add, [.. names.Select(n => Endpoints(n, "default", "10.0.0.1"))]),
        }, DateTimeOffset.UnixEpoch);
        source.Commit(delta);
        union.Apply(delta, out _);
    }

    [Fact]
    public async Task Pages_are_joined_into_the_union_at_their_version()
    {
        var aggregator = new PagingAggregator();
        var source = new SourceState("a");
        Add(aggregator.Union, source, "s1", "s2", "s3");

        var snapshot = await aggregator.ReadSnapshotAsync(pageSize: 50);

        Assert.Equal(aggregator.Union.Version, snapshot.Version);
        Assert.Equal(["default/s1@a", "default/s2@a", "default/s3@a"], DescribeSorted(snapshot.Services));
        Assert.Equal(["default/s1@a", "default/s2@a", "default/s3@a"], DescribeSorted(snapshot.Endpoints));
        Assert.Equal(3, aggregator.Asked.Count);
    }

    [Fact]
    public async Task A_read_of_one_kind_carries_only_that_kind()
    {
        var aggregator = new PagingAggregator();
        var source = new SourceState("a");
        Add(aggregator.Union, source, "s1", "s2", "s3");

        var endpoints = await aggregator.ReadSnapshotAsync(ConfigKinds.Endpoints);

        Assert.Empty(endpoints.Services);
        Assert.Equal(["default/s1@a", "default/s2@a", "default/s3@a"], DescribeSorted(endpoints.Endpoints));
        Assert.Equal(2, aggregator.Asked.Count);
    }

    [Fact]
    public async Task An_expired_read_starts_again_and_returns_the_newer_union_whole()
    {
        var aggregator = new PagingAggregator();
        var source = new SourceState("a");
        Add(aggregator.Union, source, "s1", "s2");
        // After the first page another reader takes the one view slot at a newer version: this read's view is gone.
        aggregator.AfterPage = served =>
        {
            if (served != 1) return;
            Add(aggregator.Union, source, "s3");
            aggregator.GetSnapshotPage(ConfigKinds.All, null, 1);
        };

        var snapshot = await aggregator.ReadSnapshotAsync();

        Assert.Equal(aggregator.Union.Version, snapshot.Version);
        Assert.Equal(["default/s1@a", "default/s2@a", "default/s3@a"], DescribeSorted(snapshot.Services));
        Assert.Equal(["default/s1@a", "default/s2@a", "default/s3@a"], DescribeSorted(snapshot.Endpoints));
        Assert.Null(aggregator.Asked[3]);
    }
}
