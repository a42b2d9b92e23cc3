using OrleansConfig.IntegrationTests.Infrastructure;
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

    [Fact]
    public async Task A_catalog_on_a_faulty_stream_ends_at_the_exact_entries_and_is_told_every_changed_key()
    {
        await using var catalog = new ServiceCatalog(fixture.Client, new ServiceCatalogOptions
        {
            SourcePriority = ["catalog-c"],
            Client = new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) },
        });
        var told = new HashSet<ObjectKey>();
        catalog.RegisterHandler(keys =>
        {
            lock (told) told.UnionWith(keys);
            return Task.CompletedTask;
        });
        await catalog.WaitForSyncAsync();
        var lostBefore = FaultyStreamCluster.Faults.Lost;

        string[] sources = ["catalog-a", "catalog-b", "catalog-c"];
        try
        {
            // Three sources publish the same 40 services, each with its own address; c's (the priority) must win every one.
            await Task.WhenAll(sources.Select(async (source, n) =>
            {
                var grain = fixture.Client.GetSource(source);
                for (var i = 0; i < 40; i++)
                {
                    await grain.Apply(new ServiceUpdate(Operation.Add, [Service($"c{i:D2}")]));
                    await grain.Apply(new EndpointsUpdate(Operation.Add, [Endpoints($"c{i:D2}", ips: [$"10.0.{n}.{i + 1}"])]));
                }
            }));

            bool Exact() => Enumerable.Range(0, 40).All(i =>
                catalog.TryGet("default", $"c{i:D2}", out var entry) && entry.Source == "catalog-c"
                && catalog.Resolve("default", $"c{i:D2}", null) is [var only] && only == $"10.0.2.{i + 1}:8080");
            await Eventually.Until(Exact, "every service resolved to catalog-c's address", TimeSpan.FromSeconds(30));
            Assert.Equal(["catalog-a", "catalog-b"], catalog.Entries[new ObjectKey("default", "c00")].OtherSources);
            // Handlers run on their own worker after the catalog's entries change, so the last keys may be told a moment later.
            await Eventually.Until(() =>
                {
                    lock (told) return Enumerable.Range(0, 40).All(i => told.Contains(new ObjectKey("default", $"c{i:D2}")));
                }, "every changed key to be told to the handler", TimeSpan.FromSeconds(30));
            var version = await fixture.Client.GetAggregator().GetVersion();
            await Eventually.Until(
                () => catalog.Version == version, "the catalog to reach the aggregator's version", TimeSpan.FromSeconds(30));
            Assert.True(FaultyStreamCluster.Faults.Lost > lostBefore, "no delta was lost");
            Assert.True(catalog.ResyncCount > 0, "the catalog never resynced");
        }
        finally
        {
            // The cluster is the class's: leave its union as the other test expects it.
            foreach (var source in sources)
            {
                var empty = new SourceUpdate
                {
                    Services = new ServiceUpdate(Operation.Set, []),
                    Endpoints = new EndpointsUpdate(Operation.Set, []),
                };
                await fixture.Client.GetSource(source).Apply(empty);
            }
        }
    }

    [Fact]
    public async Task A_change_handler_of_a_faulty_stream_is_told_each_difference_once_and_ends_at_the_exact_union()
    {
        await using var config =
            new ServiceConfig(fixture.Client, options: new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) });
        var model = new ChangeModel<Service>("changes-");
        await config.RegisterHandler(model).WaitForSyncAsync();
        var resyncs = config.ResyncCount;

        string[] sources = ["changes-a", "changes-b"];
        await Task.WhenAll(sources.Select(async source =>
        {
            var grain = fixture.Client.GetSource(source);
            for (var i = 0; i < 100; i++)
            {
                await grain.Apply(new ServiceUpdate(Operation.Add, [Service($"s{i % 20:D2}", port: 100 + i)]));
                if (i % 10 == 9) await grain.Apply(new ServiceUpdate(Operation.Remove, [Service($"s{i % 20 - 5:D2}")]));
            }
        }));

        // Each source ends with s00..s19 at their last port, less the five removed after their last add.
        var removed = new HashSet<int> { 4, 14 };
        var expected = sources.SelectMany(s => Enumerable.Range(0, 20).Where(n => !removed.Contains(n))
                .Select(n => $"default/s{n:D2}@{s}:{100 + 80 + n}"))
            .Order(StringComparer.Ordinal).ToArray();
        await Eventually.Until(() => model.Mine.SequenceEqual(expected), timeout: TimeSpan.FromSeconds(30),
            what: $"the change handler to hold {expected.Length} services, holds {model.Mine.Length}");
        Assert.Empty(model.Violations);
        Assert.True(config.ResyncCount > resyncs, "the subscriber never resynced");

        // The cluster is the class's: leave its union as the first test expects it.
        foreach (var source in sources) await fixture.Client.GetSource(source).Apply(new ServiceUpdate(Operation.Set, []));
    }
}
