using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>The original package's EndpointsConfig cases.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EndpointsConfigTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly string _p = fixture.NewPrefix();
    private EndpointsConfig _config = null!;

    public async Task InitializeAsync()
    {
        _config = new EndpointsConfig(fixture.Client);
        await _config.WaitForSyncAsync();
    }

    public async Task DisposeAsync() => await _config.DisposeAsync();

    [Fact]
    public async Task Multiple_sources_and_handlers_see_endpoints_added_removed_and_set()
    {
        var first = new RecordingHandler<Endpoints>(_p);
        var second = new RecordingHandler<Endpoints>(_p);
        _config.RegisterHandler(first);
        _config.RegisterHandler(second);
        var one = _config.Channel(_p + "one");
        var two = _config.Channel(_p + "two");

        await one.WriteAsync(new EndpointsUpdate(Operation.Add, [Endpoints("foo", ips: ["1.1.1.1", "2.2.2.2"])]));
        await two.WriteAsync(new EndpointsUpdate(Operation.Add, [Endpoints("bar", ips: ["3.3.3.3", "4.4.4.4"])]));
        string[] both = [$"default/bar@{_p}two", $"default/foo@{_p}one"];
        await first.Sees(both);
        await second.Sees(both);

        await one.WriteAsync(new EndpointsUpdate(Operation.Add, [Endpoints("foobar", ips: ["5.5.5.5"])]));
        await first.Sees($"default/bar@{_p}two", $"default/foo@{_p}one", $"default/foobar@{_p}one");
        await one.WriteAsync(new EndpointsUpdate(Operation.Remove, [Endpoints("foo")]));
        await first.Sees($"default/bar@{_p}two", $"default/foobar@{_p}one");
        await two.WriteAsync(new EndpointsUpdate(Operation.Set, [Endpoints("baz", ips: ["6.6.6.6"])]));
        await second.Sees($"default/baz@{_p}two", $"default/foobar@{_p}one");
    }

    [Fact]
    public async Task Add_replaces_a_sources_existing_endpoints_of_that_name()
    {
        var handler = new RecordingHandler<Endpoints>(_p);
        _config.RegisterHandler(handler);
        var one = _config.Channel(_p + "one");
        await one.WriteAsync(new EndpointsUpdate(Operation.Add, [Endpoints("foo", ips: ["1.1.1.1", "2.2.2.2"])]));
        await handler.Sees($"default/foo@{_p}one");

        await one.WriteAsync(new EndpointsUpdate(Operation.Add, [Endpoints("foo", ips: ["3.3.3.3"])]));

        await Eventually.Until(
            () => _config.Config().TryGetValue(_p + "one", out var items) &&
                  items[new ObjectKey("default", "foo")].Subsets[0].Addresses.Select(a => a.Ip).SequenceEqual(["3.3.3.3"]),
            what: "foo's endpoints replaced");
        Assert.Equal([$"default/foo@{_p}one"], handler.Last);
    }
}
