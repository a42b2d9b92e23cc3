using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class SourceRemovalTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Removed_source_leaves_the_union_and_its_handlers_and_can_start_again_empty()
    {
        var p = fixture.NewPrefix();
        await using var config = new ServiceConfig(fixture.Client);
        var handler = new RecordingHandler<Service>(p);
        config.RegisterHandler(handler);
        await fixture.Client.GetSource(p + "gone").Apply(new ServiceUpdate(Operation.Add, [Service("a"), Service("b")]));
        await fixture.Client.GetSource(p + "kept").Apply(new ServiceUpdate(Operation.Add, [Service("a")]));
        await handler.Sees($"default/a@{p}gone", $"default/a@{p}kept", $"default/b@{p}gone");

        Assert.True(await fixture.Client.GetAggregator().RemoveSource(p + "gone"));

        await handler.Sees($"default/a@{p}kept");
        Assert.DoesNotContain(p + "gone", await fixture.Client.GetAggregator().GetSources());
        Assert.Empty((await fixture.Client.GetSource(p + "gone").GetSnapshot()).Services);
        Assert.False(await fixture.Client.GetAggregator().RemoveSource(p + "gone"));

        await fixture.Client.GetSource(p + "gone").Apply(new ServiceUpdate(Operation.Add, [Service("c")]));
        await handler.Sees($"default/a@{p}kept", $"default/c@{p}gone");
    }
}
