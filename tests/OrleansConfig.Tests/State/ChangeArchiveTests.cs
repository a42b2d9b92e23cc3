using OrleansConfig.State;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.State;

public sealed class ChangeArchiveTests
{
    private static UnionDelta Delta(long version, int services) => new(
        new UnionVersion(Guid.Empty, version),
        new SourceDelta { Source = "a", UpsertedServices = [.. Enumerable.Range(0, services).Select(i => Service($"s{i}"))] });

    [Fact]
    public void Small_change_travels_on_the_stream_as_it_is()
    {
        var archive = new ChangeArchive();
        var delta = Delta(1, 10);

        Assert.Same(delta, archive.ForStream(delta));
        Assert.Null(archive.Get(1));
    }

    [Fact]
    public void Large_change_travels_by_reference_and_is_kept_whole()
    {
        var archive = new ChangeArchive();
        var delta = Delta(7, 5_000);

        var published = archive.ForStream(delta);

        Assert.True(published.Elided);
        Assert.Empty(published.Change.UpsertedServices);
        Assert.Equal("a", published.Change.Source);
        Assert.Same(delta.Change, archive.Get(7));
    }

    [Fact]
    public void Oldest_kept_changes_are_dropped_beyond_the_bounds()
    {
        var archive = new ChangeArchive(maxChanges: 2);
        for (var v = 1; v <= 3; v++) archive.ForStream(Delta(v, 5_000));

        Assert.Null(archive.Get(1));
        Assert.NotNull(archive.Get(2));
        Assert.NotNull(archive.Get(3));
    }

    [Fact]
    public void Kept_change_is_handed_out_with_only_the_kinds_asked_for()
    {
        var archive = new ChangeArchive();
        var delta =
            Delta(3, 5_000) is var d ? d with { Change = d.Change with { RemovedEndpoints = [new ObjectKey("default", "gone")] } } : null!;
        archive.ForStream(delta);

        var services = archive.Get(3, ConfigKinds.Services)!;
        var endpoints = archive.Get(3, ConfigKinds.Endpoints)!;

        Assert.Equal(5_000, services.UpsertedServices.Count);
        Assert.Empty(services.RemovedEndpoints);
        Assert.Empty(endpoints.UpsertedServices);
        Assert.Equal([new ObjectKey("default", "gone")], endpoints.RemovedEndpoints);
    }
}
