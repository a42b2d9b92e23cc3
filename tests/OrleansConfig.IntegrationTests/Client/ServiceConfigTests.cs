using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>The original package's ServiceConfig cases, against a two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceConfigTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly string _p = fixture.NewPrefix();
    private ServiceConfig _config = null!;

    public async Task InitializeAsync()
    {
        _config = new ServiceConfig(fixture.Client);
        await _config.WaitForSyncAsync();
    }

    public async Task DisposeAsync() => await _config.DisposeAsync();

    private RecordingHandler<Service> Handler()
    {
        var handler = new RecordingHandler<Service>(_p);
        _config.RegisterHandler(handler);
        return handler;
    }

    [Fact]
    public async Task New_service_added_and_notified()
    {
        var handler = Handler();

        await _config.Channel(_p + "one").WriteAsync(new ServiceUpdate(Operation.Add, [Service("foo")]));

        await handler.Sees($"default/foo@{_p}one");
    }

    [Fact]
    public async Task Service_added_removed_set_and_notified()
    {
        var handler = Handler();
        var channel = _config.Channel(_p + "one");

        await channel.WriteAsync(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await handler.Sees($"default/foo@{_p}one");
        await channel.WriteAsync(new ServiceUpdate(Operation.Add, [Service("bar")]));
        await handler.Sees($"default/bar@{_p}one", $"default/foo@{_p}one");
        await channel.WriteAsync(new ServiceUpdate(Operation.Remove, [Service("foo")]));
        await handler.Sees($"default/bar@{_p}one");
        await channel.WriteAsync(new ServiceUpdate(Operation.Set, [Service("foobar")]));
        await handler.Sees($"default/foobar@{_p}one");
    }

    [Fact]
    public async Task Multiple_sources_give_their_union()
    {
        var handler = Handler();

        await _config.Channel(_p + "one").WriteAsync(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await _config.Channel(_p + "two").WriteAsync(new ServiceUpdate(Operation.Add, [Service("bar")]));

        await handler.Sees($"default/bar@{_p}two", $"default/foo@{_p}one");
    }

    [Fact]
    public async Task Multiple_handlers_all_see_the_union()
    {
        var first = Handler();
        var second = Handler();

        await _config.Channel(_p + "one").WriteAsync(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await _config.Channel(_p + "two").WriteAsync(new ServiceUpdate(Operation.Add, [Service("bar")]));

        string[] union = [$"default/bar@{_p}two", $"default/foo@{_p}one"];
        await first.Sees(union);
        await second.Sees(union);
    }

    [Fact]
    public async Task Same_name_from_two_sources_appears_twice()
    {
        var handler = Handler();

        await _config.Channel(_p + "a").WriteAsync(new ServiceUpdate(Operation.Add, [Service("web")]));
        await _config.Channel(_p + "b").WriteAsync(new ServiceUpdate(Operation.Add, [Service("web")]));

        await handler.Sees($"default/web@{_p}a", $"default/web@{_p}b");
        Assert.Equal(2, _config.Config().Count(s => s.Key.StartsWith(_p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Same_name_in_two_namespaces_are_different_items()
    {
        var handler = Handler();

        await _config.Channel(_p + "a").WriteAsync(new ServiceUpdate(Operation.Add, [Service("web", ns: "b"), Service("web", ns: "a")]));

        await handler.Sees($"a/web@{_p}a", $"b/web@{_p}a");
    }

    [Fact]
    public async Task Empty_set_clears_only_its_own_source()
    {
        var handler = Handler();
        await _config.Channel(_p + "a").WriteAsync(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await _config.Channel(_p + "b").WriteAsync(new ServiceUpdate(Operation.Add, [Service("bar")]));
        await handler.Sees($"default/bar@{_p}b", $"default/foo@{_p}a");

        await _config.Channel(_p + "a").WriteAsync(new ServiceUpdate(Operation.Set, []));

        await handler.Sees($"default/bar@{_p}b");
    }

    [Fact]
    public async Task Remove_of_an_unknown_key_changes_nothing()
    {
        var handler = Handler();
        var source = fixture.Client.GetSource(_p + "a");
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("foo")]));
        await handler.Sees($"default/foo@{_p}a");
        var before = await fixture.Client.GetAggregator().GetVersion();

        var result = await source.Apply(new ServiceUpdate(Operation.Remove, [Service("nope")]));

        Assert.False(result.Changed);
        Assert.Equal(before, await fixture.Client.GetAggregator().GetVersion());
        Assert.Equal([$"default/foo@{_p}a"], handler.Last);
    }

    [Fact]
    public async Task Handler_registered_late_gets_the_current_union_at_once()
    {
        await fixture.Client.GetSource(_p + "a").Apply(new ServiceUpdate(Operation.Add, [Service("early")]));
        await Eventually.Until(() => _config.Config().ContainsKey(_p + "a"), what: "view to hold the early service");

        var late = Handler();

        await late.Sees($"default/early@{_p}a");
    }

    [Fact]
    public async Task Handler_that_throws_does_not_stop_the_others_or_later_calls()
    {
        var calls = 0;
        _config.RegisterHandler(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("handler failure for the test");
        });
        var healthy = Handler();
        var source = fixture.Client.GetSource(_p + "a");

        await source.Apply(new ServiceUpdate(Operation.Add, [Service("one")]));
        await healthy.Sees($"default/one@{_p}a");
        var callsAfterFirst = Volatile.Read(ref calls);
        await source.Apply(new ServiceUpdate(Operation.Add, [Service("two")]));

        await healthy.Sees($"default/one@{_p}a", $"default/two@{_p}a");
        await Eventually.Until(() => Volatile.Read(ref calls) > callsAfterFirst, what: "throwing handler to be called again");
    }

    [Fact]
    public async Task Config_maps_each_source_to_its_items()
    {
        await fixture.Client.GetSource(_p + "a").Apply(new ServiceUpdate(Operation.Add, [Service("foo"), Service("bar", ns: "x")]));

        await Eventually.Until(() =>
            _config.Config().TryGetValue(_p + "a", out var items) && items.Count == 2, what: "Config() to hold both");

        var mine = _config.Config()[_p + "a"];
        Assert.Equal(80, mine[new ObjectKey("default", "foo")].Spec.Ports[0].Port);
        Assert.True(mine.ContainsKey(new ObjectKey("x", "bar")));
    }

    [Fact]
    public async Task Change_too_large_for_the_stream_still_reaches_handlers_whole()
    {
        var handler = Handler();
        var names = Enumerable.Range(0, 5_000).Select(i => $"big{i:D5}").ToArray();

        var result =
            await fixture.Client.GetSource(_p + "bulk").Apply(new ServiceUpdate(Operation.Set, [.. names.Select(n => Service(n))]));

        Assert.True(result.Accepted);
        await handler.Sees([.. names.Select(n => $"default/{n}@{_p}bulk")]);
        Assert.Equal(0, _config.ResyncCount);
    }
}
