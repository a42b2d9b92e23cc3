using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>ServiceConfig, EndpointsConfig and ServiceCatalog report themselves to the cluster's subscriber registry, through real grains.</summary>
public sealed class SubscriberRegistryTests(SubscriberCluster fixture) : IClassFixture<SubscriberCluster>
{
    private static readonly ConfigClientOptions Reporting = new()
    {
        ReportInterval = TimeSpan.FromMilliseconds(200),
        DisposeTimeout = TimeSpan.FromSeconds(1),
    };

    private Task<IReadOnlyList<SubscriberStatus>> List() => fixture.Client.GetSubscriberRegistry().List();

    private async Task<string> GetVersionAsync() => (await fixture.Client.GetAggregator().GetVersion()).ToString();

    private static Func<IReadOnlyList<SubscriberStatus>, bool> Has(string handler, Func<SubscriberStatus, bool>? and = null) =>
        list => list.Any(s => s.Handlers.Contains(handler) && (and?.Invoke(s) ?? true));

    [Fact]
    public async Task Two_service_configs_in_one_client_are_two_entries_with_their_applied_versions()
    {
        await using var first = new ServiceConfig(fixture.Client, options: Reporting);
        await using var second = new ServiceConfig(fixture.Client, options: Reporting);
        Func<IReadOnlyList<Service>, Task> firstHandler = _ => Task.CompletedTask;
        Func<IReadOnlyList<Service>, Task> secondHandler = _ => Task.CompletedTask;
        first.RegisterHandler(firstHandler);
        second.RegisterHandler(secondHandler);
        await first.Channel("registry-two").WriteAsync(new ServiceUpdate(Operation.Add, [Service("two")]));
        await Eventually.Until(() => first.Version.Version > 0 && second.Version == first.Version, what: "both views hold the change");
        string[] names = [HandlerName(firstHandler), HandlerName(secondHandler)];

        // The union's version is read with each listing: anything else that moves it (a source's heartbeat on a slow
        // machine) moves what the subscribers apply too.
        var (listed, union) = await Eventually.Get(
            async () => (list: await List(), union: await GetVersionAsync()),
            found => names.All(n => Has(n, s => s.Applied == found.union)(found.list)),
            what: "both report the union's version as applied");

        var ours = listed.Where(s => s.Handlers.Intersect(names).Any()).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Equal(2, ours.Select(s => s.Instance).Distinct().Count());
        Assert.All(ours, s =>
        {
            Assert.Equal("services", s.Kind);
            Assert.Equal(union, s.Union);
            Assert.Equal(0, s.VersionsBehind);
            Assert.Equal(0, s.SecondsBehind);
            Assert.Equal(Environment.ProcessId, s.ProcessId);
            Assert.Equal(Environment.MachineName, s.Host);
            Assert.Null(s.LastError);
        });
        Assert.Single(ours.Select(s => s.Client).Distinct());
    }

    [Fact]
    public async Task Configs_of_one_client_share_one_stream_subscription_until_the_last_is_disposed()
    {
        var stream = fixture.Client.GetStreamProvider(UnionStream.ProviderName).GetStream<UnionDelta>(UnionStream.Id);
        var first = new ServiceConfig(fixture.Client, options: Reporting);
        var second = new ServiceConfig(fixture.Client, options: Reporting);
        await using var endpoints = new EndpointsConfig(fixture.Client, options: Reporting);
        await Task.WhenAll(first.WaitForSyncAsync(), second.WaitForSyncAsync(), endpoints.WaitForSyncAsync()).Within();

        // One for the Services configs, one for the Endpoints config.
        Assert.Equal(2, (await stream.GetAllSubscriptionHandles()).Count);
        await first.DisposeAsync();
        await second.Channel("registry-shared").WriteAsync(new ServiceUpdate(Operation.Add, [Service("shared")]));
        await Eventually.Until(
            () => second.Config().TryGetValue("registry-shared", out var items) && items.ContainsKey(new ObjectKey("default", "shared")),
            what: "the remaining config follows the union");
        Assert.Equal(2, (await stream.GetAllSubscriptionHandles()).Count);

        await second.DisposeAsync();
        Assert.Single(await stream.GetAllSubscriptionHandles());
    }

    [Fact]
    public async Task A_batch_of_reports_with_a_null_one_is_refused_naming_it_and_records_nothing()
    {
        var instance = Guid.NewGuid();
        var valid = new SubscriberReport { Instance = instance, Kind = "services", Handlers = ["batch-valid"] };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetSubscriberRegistry().ReportMany([valid, null!]));

        Assert.Equal("reports[1]: must not be null (Parameter 'reports')", refused.Message);
        Assert.DoesNotContain(await List(), s => s.Instance == instance);
    }

    [Fact]
    public async Task A_service_catalog_and_a_change_handler_report_the_unions_version_as_applied()
    {
        await using var catalog = new ServiceCatalog(fixture.Client, new ServiceCatalogOptions { Client = Reporting });
        await using var services = new ServiceConfig(fixture.Client, options: Reporting);
        var keys = new CatalogKeys();
        var changes = new ServiceChanges();
        catalog.RegisterHandler(keys);
        var registration = services.RegisterHandler(changes);
        await services.Channel("registry-catalog").WriteAsync(new ServiceUpdate(Operation.Add, [Service("catalogued")]));
        await Eventually.Until(
            () => catalog.TryGet("default", "catalogued", out _) && registration.AppliedVersion == catalog.Version && keys.Calls > 0,
            what: "the catalog and the change handler hold the change");
        var union = (await fixture.Client.GetAggregator().GetVersion()).ToString();
        var catalogHandler = OrleansConfig.Client.HandlerName.Of(keys);
        var changeHandler = OrleansConfig.Client.HandlerName.Of(changes);

        var listed = await Eventually.Get(
            List,
            list => Has(catalogHandler, s => s.Applied == union)(list) && Has(changeHandler, s => s.Applied == union)(list),
            what: "the catalog and the change handler report the union's version as applied");

        var ofCatalog = Assert.Single(listed, s => s.Handlers.Contains(catalogHandler));
        Assert.Equal("catalog", ofCatalog.Kind);
        Assert.Equal([catalogHandler], ofCatalog.Handlers);
        Assert.Equal(union, ofCatalog.Received);
        Assert.Equal(0, ofCatalog.VersionsBehind);
        Assert.Equal(Environment.ProcessId, ofCatalog.ProcessId);
        Assert.Null(ofCatalog.LastError);
        var ofServices = Assert.Single(listed, s => s.Handlers.Contains(changeHandler));
        Assert.Equal("services", ofServices.Kind);
        Assert.Equal([changeHandler], ofServices.Handlers);
        Assert.Equal(0, ofServices.VersionsBehind);
        Assert.NotEqual(ofCatalog.Instance, ofServices.Instance);

        await catalog.DisposeAsync();
        Assert.DoesNotContain(await List(), s => s.Handlers.Contains(catalogHandler));
    }

    [Fact]
    public async Task A_handler_that_throws_is_reported_behind_with_its_error()
    {
        await using var endpoints = new EndpointsConfig(fixture.Client, options: Reporting);
        Func<IReadOnlyList<Endpoints>, Task> failing = _ => throw new InvalidOperationException("cannot program the table");
        endpoints.RegisterHandler(failing);
        await endpoints.WaitForSyncAsync().WaitAsync(Eventually.DefaultTimeout);

        var listed = await Eventually.Get(List, Has(HandlerName(failing), s => s.LastError is not null), what: "the error is reported");

        var status = Assert.Single(listed, s => s.Handlers.Contains(HandlerName(failing)));
        Assert.Equal("endpoints", status.Kind);
        Assert.Null(status.Applied);
        Assert.Null(status.VersionsBehind);
        Assert.Equal($"{HandlerName(failing)}: InvalidOperationException: cannot program the table", status.LastError);
    }

    [Fact]
    public async Task A_clean_dispose_removes_the_entry()
    {
        var services = new ServiceConfig(fixture.Client, options: Reporting);
        Func<IReadOnlyList<Service>, Task> handler = _ => Task.CompletedTask;
        services.RegisterHandler(handler);
        await Eventually.Get(List, Has(HandlerName(handler)), what: "the entry appears");

        await services.DisposeAsync();

        Assert.DoesNotContain(await List(), s => s.Handlers.Contains(HandlerName(handler)));
    }

    [Fact]
    public async Task The_entry_of_a_client_that_goes_away_expires()
    {
        var other = await fixture.ConnectAnotherClientAsync();
        var services = new ServiceConfig(other.Services.GetRequiredService<IClusterClient>(), options: Reporting);
        Func<IReadOnlyList<Service>, Task> handler = _ => Task.CompletedTask;
        services.RegisterHandler(handler);
        await Eventually.Get(List, Has(HandlerName(handler)), what: "the other client's entry appears");

        // Gone without unsubscribing: the registry hears nothing more and drops the entry after ExpireAfter.
        await other.StopAsync();
        other.Dispose();

        await Eventually.Get(List, list => !Has(HandlerName(handler))(list), what: "the entry expires");
        await services.DisposeAsync();
    }

    [Fact]
    public async Task A_client_cannot_overwrite_or_remove_another_clients_entry()
    {
        using var other = await fixture.ConnectAnotherClientAsync();
        var instance = Guid.NewGuid();
        await fixture.Client.GetSubscriberRegistry().Report(new SubscriberReport { Instance = instance, Kind = "services", Host = "honest" });

        var forger = other.Services.GetRequiredService<IClusterClient>().GetSubscriberRegistry();
        // Not its entry: nothing happens.
        await forger.Remove(instance);
        Assert.Equal(["honest"], await Hosts(instance));
        // Its own entry beside the first, not over it.
        await forger.Report(new SubscriberReport { Instance = instance, Kind = "services", Host = "forged" });
        var both = (await List()).Where(s => s.Instance == instance).ToList();
        Assert.Equal(["forged", "honest"], both.Select(s => s.Host).Order(StringComparer.Ordinal));
        Assert.NotEqual(both[0].Client, both[1].Client);

        await fixture.Client.GetSubscriberRegistry().Remove(instance);
        Assert.Equal(["forged"], await Hosts(instance));
        await other.StopAsync();
    }

    private async Task<string[]> Hosts(Guid instance) => [.. (await List()).Where(s => s.Instance == instance).Select(s => s.Host)];

    private static string HandlerName(Delegate handler) => OrleansConfig.Client.HandlerName.Of(handler);

    private sealed class CatalogKeys : ICatalogChangeHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task OnChanged(IReadOnlyCollection<ObjectKey> keys)
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        }
    }

    private sealed class ServiceChanges : IServiceChangeHandler
    {
        public Task OnChanges(ConfigChanges<Service> changes) => Task.CompletedTask;
    }
}
