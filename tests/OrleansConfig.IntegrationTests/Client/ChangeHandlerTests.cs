using OrleansConfig.Client;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Tests.Client;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>Change handlers against the union through the real stream: each change told once, exactly, in order.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChangeHandlerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_service_change_handler_is_told_the_union_then_each_add_update_and_remove()
    {
        var p = fixture.NewPrefix();
        var source = fixture.Client.GetSource(p + "a");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("before")]));
        await using var config = new ServiceConfig(fixture.Client);
        var model = new ChangeModel<Service>(p);

        var registration = config.RegisterHandler(model);
        await registration.WaitForSyncAsync().WaitAsync(Eventually.DefaultTimeout);
        await model.Sees($"default/before@{p}a:80");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("web")]));
        await model.Sees($"default/before@{p}a:80", $"default/web@{p}a:80");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("web", port: 81)]));
        await model.Sees($"default/before@{p}a:80", $"default/web@{p}a:81");
        await source.Apply(new ServiceUpdate(Operation.Set, [Service("web", port: 82), Service("after")]));
        await model.Sees($"default/after@{p}a:80", $"default/web@{p}a:82");
        await fixture.Client.GetSource(p + "b").Apply(new ServiceUpdate(Operation.Add, [Service("web", port: 90)]));
        await model.Sees($"default/after@{p}a:80", $"default/web@{p}a:82", $"default/web@{p}b:90");

        Assert.Empty(model.Violations);
        await Eventually.Until(() => registration.AppliedVersion == config.Version, what: "the handler's applied version reaches the view's");
    }

    [Fact]
    public async Task An_endpoints_change_handler_is_told_endpoints_changes_and_ends_at_the_exact_union()
    {
        var p = fixture.NewPrefix();
        await using var config = new EndpointsConfig(fixture.Client);
        var model = new ChangeModel<Endpoints>(p);
        var registration = config.RegisterHandler(model);
        await registration.WaitForSyncAsync().WaitAsync(Eventually.DefaultTimeout);
        var source = fixture.Client.GetSource(p + "a");

        await source.Apply(new EndpointsUpdate(Operation.Add, [Endpoints("web", ips: "10.0.0.1")]));
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("web")]));
        await source.Apply(new EndpointsUpdate(Operation.Add, [Endpoints("web", ips: ["10.0.0.1", "10.0.0.2"]), Endpoints("api", ips: "10.0.1.1")]));
        await source.Apply(new EndpointsUpdate(Operation.Remove, [Endpoints("api")]));
        await model.Sees($"default/web@{p}a:10.0.0.1,10.0.0.2");

        Assert.Empty(model.Violations);
        // The whole union, other tests' items too: the collection's tests run one at a time, so it is still now.
        var snapshot = await fixture.Client.GetAggregator().GetSnapshot();
        await Eventually.Until(() => Union(model.All).SequenceEqual(Union(snapshot.Endpoints)), what: "the handler to hold the aggregator's union");
    }

    [Fact]
    public async Task After_lost_deltas_a_change_handler_gets_the_difference_and_ends_at_the_exact_union()
    {
        var p = fixture.NewPrefix();
        var dropped = 0;
        // Lose every third delta of this test, and the last one, as a broken stream would; the probe finds the last.
        var lossy = new LossyBackend(new ClusterConfigBackend(fixture.Client))
        {
            Keep = d => !(d.Change.Source.StartsWith(p, StringComparison.Ordinal) &&
                (d.Change.UpsertedServices.Any(s => s.Metadata.Name == "last") || Interlocked.Increment(ref dropped) % 3 == 0)),
        };
        await using var config = new ServiceConfig(lossy, options: new ConfigClientOptions { ProbeInterval = TimeSpan.FromMilliseconds(200) });
        var model = new ChangeModel<Service>(p);
        await config.RegisterHandler(model).WaitForSyncAsync().WaitAsync(Eventually.DefaultTimeout);
        var sources = new[] { fixture.Client.GetSource(p + "a"), fixture.Client.GetSource(p + "b") };

        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var (source, name) = (sources[i % 2], $"s{i % 7}");
            if (i % 4 == 3)
            {
                await source.Apply(new ServiceUpdate(Operation.Remove, [Service(name)]));
                expected.Remove($"default/{name}@{p}{"ab"[i % 2]}");
            }
            else
            {
                await source.Apply(new ServiceUpdate(Operation.Add, [Service(name, port: 100 + i)]));
                expected[$"default/{name}@{p}{"ab"[i % 2]}"] = $"{100 + i}";
            }
        }
        await sources[0].Apply(new ServiceUpdate(Operation.Add, [Service("last")]));
        expected[$"default/last@{p}a"] = "80";

        await model.Sees([.. expected.Select(e => $"{e.Key}:{e.Value}")]);
        Assert.Empty(model.Violations);
        Assert.True(lossy.Dropped > 0, "the test dropped no delta");
        Assert.True(config.ResyncCount > 0, "the subscriber never resynced");
    }

    private static string[] Union<T>(IReadOnlyDictionary<string, T> items) where T : class, IConfigItem =>
        [.. items.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{ChangeModel<T>.Content(p.Value)}")];

    private static string[] Union<T>(IEnumerable<T> items) where T : class, IConfigItem =>
        [.. items.Select(i => $"{Describe(i)}:{ChangeModel<T>.Content(i)}").Order(StringComparer.Ordinal)];
}
