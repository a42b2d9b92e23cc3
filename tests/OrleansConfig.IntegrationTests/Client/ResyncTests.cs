using OrleansConfig.Client;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Tests.Client;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>Subscribers that miss stream events still end at the exact union.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResyncTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Subscriber_that_misses_stream_events_still_ends_at_the_exact_union()
    {
        var p = fixture.NewPrefix();
        var dropped = 0;
        // Lose every third delta, and the last one, as a broken stream would.
        var lossy = new LossyBackend(new ClusterConfigBackend(fixture.Client))
        {
            Keep = d => d.Change.Source.StartsWith(p, StringComparison.Ordinal) &&
                (d.Change.UpsertedServices.Any(s => s.Metadata.Name == "s29") || d.Version.Version % 3 == 0)
                ? Interlocked.Increment(ref dropped) < 0
                : true,
        };
        await using var config = new ServiceConfig(lossy, options: new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) });
        var handler = new RecordingHandler<Service>(p);
        config.RegisterHandler(handler);
        await config.WaitForSyncAsync();
        var sources = new[] { fixture.Client.GetSource(p + "a"), fixture.Client.GetSource(p + "b") };

        for (var i = 0; i < 30; i++)
        {
            await sources[i % 2].Apply(new ServiceUpdate(Operation.Add, [Service($"s{i}")]));
            if (i % 5 == 4) await sources[i % 2].Apply(new ServiceUpdate(Operation.Remove, [Service($"s{i - 2}")]));
        }
        await sources[0].Apply(new ServiceUpdate(Operation.Set, [Service("s0"), Service("s28"), Service("s29"), Service("z")]));

        var expected = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var source = i % 2 == 0 ? "a" : "b";
            var removed = Enumerable.Range(0, 30).Any(j => j % 5 == 4 && j - 2 == i);
            if (source == "b" && !removed) expected.Add($"default/s{i}@{p}b");
        }
        expected.AddRange([$"default/s0@{p}a", $"default/s28@{p}a", $"default/s29@{p}a", $"default/z@{p}a"]);
        await handler.Sees([.. expected.OrderBy(e => e.Split('@')[0], StringComparer.Ordinal).ThenBy(e => e, StringComparer.Ordinal)]);
        Assert.True(dropped > 0, "the test dropped no delta");
        Assert.True(config.ResyncCount > 0, "the subscriber never resynced");
    }
}
