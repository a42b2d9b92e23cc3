using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class SnapshotPagerTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;
    private readonly UnionState _union = new(Guid.NewGuid());
    private readonly SourceState _source = new("a");

    private void Add(params string[] names)
    {
        var delta = _source.Plan(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Add, [.. names.Select(n => Service(n))]),
            Endpoints = new EndpointsUpdate(Operation.Add, [.. names.Select(n => Endpoints(n, "default", "10.0.0.1"))]),
        }, Start);
        _source.Commit(delta);
        Assert.Equal(DeltaOutcome.Applied, _union.Apply(delta, out _));
    }

    private void Remove(string name)
    {
        var delta = _source.Plan(new SourceUpdate { Services = new ServiceUpdate(Operation.Remove, [Service(name)]) }, Start);
        _source.Commit(delta);
        _union.Apply(delta, out _);
    }

    private UnionSnapshotPage Page(SnapshotPager pager, string? token, int limit, DateTimeOffset? now = null) =>
        pager.Page(token, limit, _union.Version, _union.ToSnapshot, now ?? Start);

    private static SnapshotPager Pager(int maxPageItems = 100, int maxReads = 4, double lifetimeSeconds = 30) =>
        new(new SnapshotOptions { MaxPageItems = maxPageItems, MaxReads = maxReads, ReadLifetime = TimeSpan.FromSeconds(lifetimeSeconds) });

    private static List<string> Names(IEnumerable<IConfigItem> items) => [.. items.Select(i => i.Metadata.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Pages_walk_services_then_endpoints_and_every_page_is_at_the_version_the_read_began_at_while_changes_happen()
    {
        Add("s1", "s2", "s3");
        var pager = Pager();
        var began = _union.Version;
        List<Service> services = [];
        List<Endpoints> endpoints = [];
        List<int> sizes = [];

        string? token = null;
        do
        {
            var page = Page(pager, token, limit: 2);
            Assert.False(page.Expired);
            Assert.Equal(began, page.Version);
            services.AddRange(page.Services);
            endpoints.AddRange(page.Endpoints);
            sizes.Add(page.Services.Count + page.Endpoints.Count);
            token = page.Continue;
            // The union moves on between pages; the read does not see it.
            Add($"late{sizes.Count}");
            Remove("s1");
        }
        while (token is not null);

        Assert.Equal([2, 2, 2], sizes);
        Assert.Equal(["s1", "s2", "s3"], Names(services));
        Assert.Equal(["s1", "s2", "s3"], Names(endpoints));
        Assert.NotEqual(began, _union.Version);
    }

    [Fact]
    public void A_continue_token_names_the_version_and_the_position_and_the_last_page_has_none()
    {
        Add("s1", "s2");
        var pager = Pager();

        var first = Page(pager, null, limit: 3);
        var last = Page(pager, first.Continue, limit: 3);

        Assert.Equal($"{_union.Version.Epoch:N}.{_union.Version.Version}.3", first.Continue);
        Assert.Equal(2, first.Services.Count);
        Assert.Single(first.Endpoints);
        Assert.Empty(last.Services);
        Assert.Single(last.Endpoints);
        Assert.Null(last.Continue);
    }

    [Fact]
    public void The_page_size_is_capped_by_the_aggregator_and_a_bad_limit_or_token_is_named()
    {
        Add("s1", "s2", "s3");
        var pager = Pager(maxPageItems: 2);

        var page = Page(pager, null, limit: 10_000);

        Assert.Equal(2, page.Services.Count);
        Assert.Equal("limit: must be at least 1, got 0", Assert.Throws<ArgumentException>(() => Page(pager, null, 0)).Message);
        Assert.Equal("continue: \"nonsense\" is not a continue token of a snapshot page",
            Assert.Throws<ArgumentException>(() => Page(pager, "nonsense", 2)).Message);
    }

    [Fact]
    public void A_read_idle_past_its_lifetime_expires_and_starting_again_gives_the_current_version()
    {
        Add("s1", "s2", "s3");
        var pager = Pager(lifetimeSeconds: 30);
        var first = Page(pager, null, limit: 2);
        Add("s4");

        var late = Page(pager, first.Continue, limit: 2, Start.AddSeconds(31));
        var again = Page(pager, null, limit: 2, Start.AddSeconds(31));

        Assert.True(late.Expired);
        Assert.Equal(first.Version, late.Version);
        Assert.Empty(late.Services);
        Assert.Null(late.Continue);
        Assert.False(again.Expired);
        Assert.Equal(_union.Version, again.Version);
        Assert.Equal(1, pager.Held);
    }

    [Fact]
    public void A_read_pushed_out_by_newer_ones_expires_and_reads_at_one_version_share_one_view()
    {
        Add("s1", "s2");
        var pager = Pager(maxReads: 2);
        var oldest = Page(pager, null, limit: 1);
        var sameVersion = Page(pager, null, limit: 1, Start.AddSeconds(1));
        Add("s3");
        Page(pager, null, limit: 1, Start.AddSeconds(2));
        Add("s4");
        Page(pager, null, limit: 1, Start.AddSeconds(3));

        Assert.Equal(oldest.Continue, sameVersion.Continue);
        Assert.Equal(2, pager.Held);
        Assert.True(Page(pager, oldest.Continue, limit: 1, Start.AddSeconds(4)).Expired);
    }

    [Fact]
    public void Pages_of_one_kind_count_only_that_kind_and_bad_kinds_are_named()
    {
        Add("s1", "s2", "s3");
        var pager = Pager();

        var services = pager.Page(ConfigKinds.Services, null, 2, _union.Version, _union.ToSnapshot, Start);
        var rest = pager.Page(ConfigKinds.Services, services.Continue, 2, _union.Version, _union.ToSnapshot, Start);
        var endpoints = pager.Page(ConfigKinds.Endpoints, null, 10, _union.Version, _union.ToSnapshot, Start);

        Assert.Equal(3, services.Total);
        Assert.Equal(["s1", "s2", "s3"], Names(services.Services.Concat(rest.Services)));
        Assert.Empty(services.Endpoints.Concat(rest.Endpoints));
        Assert.Null(rest.Continue);
        Assert.Empty(endpoints.Services);
        Assert.Equal(["s1", "s2", "s3"], Names(endpoints.Endpoints));
        Assert.Equal("kinds: must be Services, Endpoints or both, got 0",
            Assert.Throws<ArgumentException>(() => pager.Page((ConfigKinds)0, null, 2, _union.Version, _union.ToSnapshot, Start)).Message);
    }

    [Fact]
    public void A_token_from_another_epoch_expires()
    {
        Add("s1", "s2");
        var pager = Pager();
        var token = Page(pager, null, limit: 1).Continue!;
        var otherEpoch = $"{Guid.NewGuid():N}{token[32..]}";

        Assert.False(Page(pager, token, limit: 1).Expired);
        Assert.True(Page(pager, otherEpoch, limit: 1).Expired);
    }
}
