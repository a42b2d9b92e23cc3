using OrleansConfig.IntegrationTests.Infrastructure;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>Hostile updates through the grain API: each is refused precisely, nothing stored changes, the silo keeps serving.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HostileInputTests(ClusterFixture fixture)
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    private static Service WithPort(string name, int port) => Service(name) with
    {
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port }] },
    };

    private static Endpoints WithIp(string name, string ip) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Subsets = [new EndpointSubset { Addresses = [new EndpointAddress { Ip = ip }], Ports = [new EndpointPort { Port = 80 }] }],
    };

    public static TheoryData<string, SourceUpdate, string> Refusals => new()
    {
        { "port 0", new ServiceUpdate(Operation.Add, [WithPort("web", 0)]),
            "services[0].spec.ports[0].port: must be between 1 and 65535, got 0" },
        { "port -1", new ServiceUpdate(Operation.Add, [WithPort("web", -1)]),
            "services[0].spec.ports[0].port: must be between 1 and 65535, got -1" },
        { "port 65536", new ServiceUpdate(Operation.Set, [WithPort("web", 65536)]),
            "services[0].spec.ports[0].port: must be between 1 and 65535, got 65536" },
        { "IPv4 with three parts", new EndpointsUpdate(Operation.Add, [WithIp("web", "1.2.3")]),
            "endpoints[0].subsets[0].addresses[0].ip" },
        { "IPv4 with a leading zero", new EndpointsUpdate(Operation.Add, [WithIp("web", "01.2.3.4")]),
            "endpoints[0].subsets[0].addresses[0].ip" },
        { "IPv4 out of range", new EndpointsUpdate(Operation.Add, [WithIp("web", "256.1.1.1")]),
            "endpoints[0].subsets[0].addresses[0].ip" },
        { "bad IPv6", new EndpointsUpdate(Operation.Add, [WithIp("web", "::g")]), "endpoints[0].subsets[0].addresses[0].ip" },
        { "IPv6 zone", new EndpointsUpdate(Operation.Add, [WithIp("web", "fe80::1%eth0")]), "endpoints[0].subsets[0].addresses[0].ip" },
        { "upper-case name", new ServiceUpdate(Operation.Add, [Service("Web_1")]), "services[0].metadata.name" },
        { "NUL in a name", new ServiceUpdate(Operation.Add, [Service("we\0b")]), "services[0].metadata.name" },
        { "bad namespace", new ServiceUpdate(Operation.Add, [Service("web", ns: "No/pe")]), "services[0].metadata.namespace" },
        { "duplicate port names",
            new ServiceUpdate(Operation.Add,
            [Service(
            "web") with { Spec =
            new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }, new ServicePort { Name = "http", Port = 81 }] } }]),
            "services[0].spec.ports[1].name" },
        { "duplicate items", new ServiceUpdate(Operation.Set, [Service("web"), Service("web")]),
            "services[1].metadata.name: duplicate \"default/web\" (also at services[0])" },
        { "unknown operation", new ServiceUpdate((Operation)42, [Service("web")]), "services" },
        { "null list", new ServiceUpdate(Operation.Set, null!), "services" },
        { "null item", new ServiceUpdate(Operation.Add, [null!]), "services[0]" },
        { "10 MB name", new ServiceUpdate(Operation.Add, [Service(new string('a', TenMegabytes))]), "services[0].metadata.name" },
        {
            "10 MB annotation",
            new ServiceUpdate(Operation.Add,
                [Service(
                "web") with { Metadata =
                new ObjectMeta { Name = "web",
                Annotations = ValueMap.From([KeyValuePair.Create("note", new string('a', TenMegabytes))]) } }]),
            $"services[0].metadata.annotations: must have at most 262144 bytes in total, got {TenMegabytes + 4}"
        },
        { "10 MB address", new EndpointsUpdate(Operation.Add, [WithIp("web", new string('1', TenMegabytes))]),
            "endpoints[0].subsets[0].addresses[0].ip" },
        { "loopback address", new EndpointsUpdate(Operation.Add, [WithIp("web", "127.0.0.1")]),
            "endpoints[0].subsets[0].addresses[0].ip: may not be in the loopback range (127.0.0.0/8, ::1/128), got \"127.0.0.1\"" },
        { "IPv6 loopback address", new EndpointsUpdate(Operation.Set, [WithIp("web", "::1")]),
            "endpoints[0].subsets[0].addresses[0].ip: may not be in the loopback range (127.0.0.0/8, ::1/128), got \"::1\"" },
        { "link-local address", new EndpointsUpdate(Operation.Add, [WithIp("web", "169.254.169.254")]),
            "endpoints[0].subsets[0].addresses[0].ip: may not be in the link-local range (169.254.0.0/16, fe80::/10), got " +
            "\"169.254.169.254\"" },
        { "unspecified address", new EndpointsUpdate(Operation.Add, [WithIp("web", "0.0.0.0")]),
            "endpoints[0].subsets[0].addresses[0].ip: may not be unspecified (0.0.0.0, ::), got \"0.0.0.0\"" },
        { "multicast address", new EndpointsUpdate(Operation.Add, [WithIp("web", "ff02::1")]),
            "endpoints[0].subsets[0].addresses[0].ip: may not be in the multicast range (224.0.0.0/4, ff00::/8), got \"ff02::1\"" },
    };

    private const string BadName =
        "\"Bad_Source\" must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit";

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Hostile_update_is_refused_by_name_and_changes_nothing(string what, SourceUpdate update, string expected)
    {
        var source = fixture.Client.GetSource(fixture.NewPrefix() + "hostile");
        await source.Apply(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Set, [Service("keep")]),
            Endpoints = new EndpointsUpdate(Operation.Set, [Endpoints("keep", ips: ["10.0.0.1"])]),
        });
        var before = await source.GetSnapshot();

        var result = await source.Apply(update);

        Assert.False(result.Accepted, what);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
        var after = await source.GetSnapshot();
        Assert.Equal(before.Sequence, after.Sequence);
        Assert.Equal(before.Services, after.Services);
        Assert.Equal(before.Endpoints, after.Endpoints);
        Assert.True((await source.Apply(new ServiceUpdate(Operation.Add, [Service("still-serving")]))).Accepted);
    }

    [Fact]
    public async Task Update_of_a_million_items_is_refused_by_its_size_and_the_source_keeps_serving()
    {
        var source = fixture.Client.GetSource(fixture.NewPrefix() + "huge");
        var spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] };
        var huge = new Service[1_000_000];
        for (var i = 0; i < huge.Length; i++) huge[i] = new Service { Metadata = new ObjectMeta { Name = $"s{i}" }, Spec = spec };

        var result = await source.Apply(new ServiceUpdate(Operation.Set, huge));

        Assert.False(result.Accepted);
        Assert.Equal("services: must have at most 100000 items, got 1000000", Assert.Single(result.Errors).ToString());
        Assert.Empty((await source.GetSnapshot()).Services);
        Assert.True((await source.Apply(new ServiceUpdate(Operation.Add, [Service("after")]))).Accepted);
    }

    [Fact]
    public async Task A_source_grain_whose_key_is_not_a_source_name_refuses_every_update_and_stores_nothing()
    {
        var source = fixture.Client.GetSource("Bad_Source");

        var result = await source.Apply(new ServiceUpdate(Operation.Add, [Service("web")]));

        Assert.False(result.Accepted);
        Assert.Equal($"source: {BadName}", Assert.Single(result.Errors).ToString());
        Assert.Empty((await source.GetSnapshot()).Services);
        Assert.DoesNotContain("Bad_Source", await fixture.Client.GetAggregator().GetSources());
        // ReportError is a door for the sources inside the silo: called as they call it.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.SiloGrains.GetSource("Bad_Source").ReportError("boom"));
        Assert.Equal($"source: {BadName}", error.Message);
    }

    [Fact]
    public async Task Removing_a_source_by_a_bad_name_is_refused_with_the_rule()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetAggregator().RemoveSource("Bad_Source"));

        Assert.Equal($"source: {BadName}", error.Message);
    }

    [Fact]
    public async Task The_aggregator_refuses_a_delta_a_source_could_not_have_sent_and_the_union_is_unchanged()
    {
        // From inside the silo, as a source grain with a bug would call it (an outside client is refused at the door).
        var aggregator = fixture.SiloGrains.GetAggregator();
        var source = fixture.NewPrefix() + "forged";
        var before = await aggregator.GetVersion();
        var spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] };
        SourceDelta[] forged =
        [
            new() { Source = "Bad_Source", Sequence = 1, UpsertedServices = [Service("web")] },
            new() { Source = source, Sequence = 1,
                UpsertedServices =
                [.. Enumerable.Range(0, 100_001).Select(i => new Service { Metadata = new ObjectMeta { Name = $"s{i}" }, Spec = spec })] },
            new() { Source = source, Sequence = 1,
                RemovedEndpoints = [.. Enumerable.Range(0, 100_001).Select(i => new ObjectKey("default", $"e{i}"))] },
            new() { Source = source, Sequence = 1, UpsertedServices = [new Service { Metadata = new ObjectMeta { Name = "" } }] },
        ];
        string[] expected =
        [
            $"delta from source \"Bad_Source\" refused: source: {BadName}",
            $"delta from source \"{source}\" refused: upsertedServices: must have at most 100000 items, got 100001",
            $"delta from source \"{source}\" refused: removedEndpoints: must have at most 100000 items, got 100001",
            $"delta from source \"{source}\" refused: upsertedServices[0].metadata: must have a name and a namespace",
        ];

        for (var i = 0; i < forged.Length; i++)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => aggregator.Apply(forged[i]));
            Assert.Equal(expected[i], error.Message);
        }

        Assert.Equal(before, await aggregator.GetVersion());
        var sources = await aggregator.GetSources();
        Assert.DoesNotContain(source, sources);
        Assert.DoesNotContain("Bad_Source", sources);
    }
}
