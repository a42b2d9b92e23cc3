using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>A stream that loses, duplicates and reorders deltas: subscribers resync and never go back in time.</summary>
public sealed class FaultyStreamTests(FaultyStreamCluster fixture) : IClassFixture<FaultyStreamCluster>
{
    [Fact]
    public async Task Subscribers_of_a_faulty_stream_end_at_the_exact_union_and_never_see_an_older_one()
    {
        await using var config =
            new ServiceConfig(fixture.Client, options: new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) });
        var calls = new List<HashSet<string>>();
        var regressions = new List<string>();
        config.RegisterHandler(services =>
        {
            var seen = services.Select(Describe).ToHashSet();
            lock (calls)
            {
                // Sources only add here, so each union must hold everything the one before it held.
                if (calls.Count > 0 && !calls[^1].IsSubsetOf(seen))
                {
                    regressions.Add($"call {calls.Count} lost {string.Join(",", calls[^1].Except(seen))}");
                }
                calls.Add(seen);
            }
            return Task.CompletedTask;
        });
        await config.WaitForSyncAsync();

        string[] sources = ["faulty-a", "faulty-b", "faulty-c"];
        await Task.WhenAll(sources.Select(async source =>
        {
            var grain = fixture.Client.GetSource(source);
            for (var i = 0; i < 100; i++) await grain.Apply(new ServiceUpdate(Operation.Add, [Service($"s{i:D3}")]));
        }));

        var expected = sources.SelectMany(s => Enumerable.Range(0, 100).Select(i => $"default/s{i:D3}@{s}")).ToHashSet();
        await Eventually.Until(() =>
            { lock (calls) return calls.Count > 0 && calls[^1].SetEquals(expected); }, timeout: TimeSpan.FromSeconds(30),
            what: "the handler to hold all 300 services");
        Assert.Empty(regressions);
        Assert.True(FaultyStreamCluster.Faults.Lost > 0 && FaultyStreamCluster.Faults.Duplicated > 0
            && FaultyStreamCluster.Faults.Reordered > 0,
            $"faults injected: lost {FaultyStreamCluster.Faults.Lost}, duplicated {FaultyStreamCluster.Faults.Duplicated}, reordered " +
                $"{FaultyStreamCluster.Faults.Reordered}");
        Assert.True(config.ResyncCount > 0);
    }
}
