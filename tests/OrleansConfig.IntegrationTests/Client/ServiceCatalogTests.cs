using System.Collections.Concurrent;
using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Client;

/// <summary>
/// The catalog against a real silo: three sources through source grains and the union stream (a faulty stream:
/// Reliability/FaultyStreamTests).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceCatalogTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_priority_source_wins_with_its_own_endpoints_until_it_removes_its_service()
    {
        var p = fixture.NewPrefix();
        string etcd = p + "etcd", file = p + "file", manual = p + "manual";
        var web = new ObjectKey("default", p + "web");
        await using var catalog = new ServiceCatalog(fixture.Client, new ServiceCatalogOptions { SourcePriority = [manual, etcd] });
        ConcurrentQueue<ObjectKey> told = new();
        catalog.RegisterHandler(keys =>
        {
            foreach (var key in keys) told.Enqueue(key);
            return Task.CompletedTask;
        });
        await catalog.WaitForSyncAsync();

        foreach (var (source, ip) in new[] { (etcd, "10.0.0.1"), (file, "10.0.0.2"), (manual, "10.0.0.3") })
        {
            await fixture.Client.GetSource(source).Apply(new ServiceUpdate(Operation.Add, [Service(p + "web")]));
            await fixture.Client.GetSource(source).Apply(new EndpointsUpdate(Operation.Add, [Endpoints(p + "web", ips: [ip])]));
        }

        await Eventually.Until(() => catalog.Resolve("default", p + "web", null) is ["10.0.0.3:8080"], what: "manual's endpoints");
        Assert.True(catalog.TryGet(web, out var entry));
        Assert.Equal(manual, entry.Source);
        Assert.Equal([etcd, file], entry.OtherSources);
        Assert.Equal(manual, entry.Endpoints!.Source());
        await Eventually.Until(() => told.Contains(web), what: "the handler to be told of the new service");

        told.Clear();
        await fixture.Client.GetSource(manual).Apply(new ServiceUpdate(Operation.Remove, [Service(p + "web")]));

        await Eventually.Until(
            () => catalog.TryGet(web, out var next) && next.Source == etcd, what: "etcd to win once manual's Service is gone");
        Assert.Equal(["10.0.0.1:8080"], catalog.Resolve("default", p + "web", null));
        Assert.Equal([file], catalog.Entries[web].OtherSources);
        await Eventually.Until(() => told.Contains(web), what: "the handler to be told");
    }
}
