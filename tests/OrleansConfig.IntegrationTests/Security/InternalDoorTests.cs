using Orleans.Connections.Security;
using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.IntegrationTests.Observability;
using OrleansConfig.Security;
using OrleansConfig.Streaming;

namespace OrleansConfig.IntegrationTests.Security;

/// <summary>
/// A client built on nothing but Orleans' own client API calls each door that exists for the silo's own use:
/// every call is refused and changes nothing, on a plain silo and on a TLS silo even with the admin's certificate.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InternalDoorTests(TlsSilo tls) : IClassFixture<TlsSilo>
{
    [Fact]
    public async Task An_outside_client_of_a_plain_silo_is_refused_at_every_internal_door()
    {
        await using var plain = new SiloProcess();
        await plain.InitializeAsync();
        await using var client = await GatewayClient.ConnectAsync(plain.Gateway);

        await AssertInternalDoorsShut(client.Client);
    }

    [Fact]
    public async Task An_outside_client_of_a_tls_silo_is_refused_at_every_internal_door_even_as_admin()
    {
        await using var client = await GatewayClient.ConnectAsync(tls.Silo.Gateway, builder => builder.UseTls(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tls.Admin.CertFile, tls.Admin.KeyFile),
            options => options.AllowAnyRemoteCertificate()));

        await AssertInternalDoorsShut(client.Client);
    }

    [Fact]
    public async Task With_tls_only_an_admin_uses_orleans_management_grain()
    {
        await using var reader = await GatewayClient.ConnectAsync(tls.Silo.Gateway, As(tls.Reader));
        await using var admin = await GatewayClient.ConnectAsync(tls.Silo.Gateway, As(tls.Admin));

        var refused =
            await Assert.ThrowsAsync<ForbiddenException>(() =>
            reader.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero));
        Assert.Equal("forbidden: reader may not use Orleans.Runtime.IManagementGrain (only an admin may)", refused.Message);
        Assert.Single(await admin.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true));
    }

    private Action<IClientBuilder> As(TestPki.Issued who) => builder => builder.AddOrleansConfigClient(o =>
    {
        o.TlsCertificatePath = who.CertFile;
        o.TlsKeyPath = who.KeyFile;
        o.TlsCaPath = tls.CaFile;
    });

    [Fact]
    public async Task The_public_doors_stay_open_to_an_outside_client()
    {
        await using var plain = new SiloProcess();
        await plain.InitializeAsync();
        await using var client = await GatewayClient.ConnectAsync(plain.Gateway);
        var grains = client.Client;

        var applied = await grains.GetSource("outside").Apply(new ServiceUpdate(Operation.Add, [Items.Service("outside")]));

        Assert.True(applied.Accepted, string.Join("; ", applied.Errors));
        var snapshot = await grains.GetAggregator().GetSnapshot();
        Assert.Contains(snapshot.Services, s => s.Metadata.Name == "outside");
        Assert.Equal(snapshot.Version, await grains.GetAggregator().GetVersion());
        var page = await grains.GetAggregator().GetSnapshotPage(ConfigKinds.All, null, 10_000);
        Assert.Equal(snapshot.Version, page.Version);
        Assert.Contains(page.Services, s => s.Metadata.Name == "outside");
        Assert.Contains("outside", await grains.GetAggregator().GetSources());
        Assert.Equal(1, (await grains.GetSource("outside").GetStatus()).Services);
        Assert.Single((await grains.GetSource("outside").GetSnapshot()).Services);
        // A heartbeat only says the source is alive: a writer of it may send one.
        await grains.GetSource("outside").Heartbeat();
        Assert.True(await grains.GetAggregator().RemoveSource("outside"));
        await AssertSubscriberDoorsOpen(grains);
    }

    [Fact]
    public async Task With_tls_a_read_only_client_reports_itself_as_a_subscriber()
    {
        await using var reader = await GatewayClient.ConnectAsync(tls.Silo.Gateway, As(tls.Reader));

        await AssertSubscriberDoorsOpen(reader.Client);
    }

    // A subscriber reporting itself writes no configuration: the write policy does not apply to it.
    private static async Task AssertSubscriberDoorsOpen(IClusterClient grains)
    {
        var registry = grains.GetSubscriberRegistry();
        var instance = Guid.NewGuid();

        await registry.Report(new SubscriberReport { Instance = instance, Kind = "services", Host = "outside" });

        Assert.Equal(["outside"], (await registry.List()).Where(s => s.Instance == instance).Select(s => s.Host));
        await registry.Remove(instance);
        Assert.DoesNotContain(await registry.List(), s => s.Instance == instance);

        // The batch a client's subscribers send together goes through the same door.
        await registry.ReportMany([new SubscriberReport { Instance = instance, Kind = "services", Host = "batched" }]);
        Assert.Equal(["batched"], (await registry.List()).Where(s => s.Instance == instance).Select(s => s.Host));
        await registry.Remove(instance);
    }

    private static async Task AssertInternalDoorsShut(IClusterClient grains)
    {
        var aggregator = grains.GetAggregator();
        var file = grains.GetSource("file");
        var before = await aggregator.GetSnapshot();
        var fileBefore = await file.GetStatus();
        var forged = new SourceDelta
        {
            Source = "file",
            Sequence = fileBefore.Sequence + 1,
            PreviousSequence = fileBefore.Sequence,
            UpsertedEndpoints = [Items.Endpoints("web", "default", "203.0.113.66")],
            ChangedAt = DateTimeOffset.UtcNow,
        };

        await AssertForbidden("OrleansConfig.IAggregatorGrain.Apply", () => aggregator.Apply(forged));
        await AssertForbidden("OrleansConfig.IAggregatorGrain.CatchUp", () =>
            aggregator.CatchUp("file", Guid.NewGuid(), fileBefore.Sequence + 5));
        await AssertForbidden("OrleansConfig.IAggregatorGrain.SetDropped", () => aggregator.SetDropped("file", true));
        await AssertForbidden("OrleansConfig.ISourceGrain.Clear", () => file.Clear());
        await AssertForbidden("OrleansConfig.ISourceGrain.ReportError", () => file.ReportError("forged error"));
        await AssertForbidden("OrleansConfig.ISourceGrain.ReportWarning", () => file.ReportWarning("forged warning"));
        var queue = grains.GetGrain<IUnionQueueGrain>(Guid.Empty);
        await AssertForbidden("OrleansConfig.Streaming.IUnionQueueGrain.Dequeue", () => queue.Dequeue(10, TimeSpan.Zero));
        await AssertForbidden("OrleansConfig.Security.IClientIdentityGrain.Bind", () =>
            grains.GetGrain<IClientIdentityGrain>("sys.client/x").Bind("admin"));

        var after = await aggregator.GetSnapshot();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Services, after.Services);
        Assert.Equal(before.Endpoints, after.Endpoints);
        var fileAfter = await file.GetStatus();
        Assert.Equal(fileBefore.Sequence, fileAfter.Sequence);
        Assert.Null(fileAfter.LastError);
        Assert.Equal(fileBefore.Services, fileAfter.Services);
    }

    private static async Task AssertForbidden(string door, Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ForbiddenException>(call);
        Assert.StartsWith($"forbidden: {door} is for the silo's own use, not for clients", refused.Message);
    }
}
