using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Yarp;
using Xunit;
using Yarp.ReverseProxy.Configuration;

namespace OrleansConfig.Tests.Yarp;

/// <summary>Catalog entries to YARP clusters and routes: ids, destinations, https, annotation routes, objects kept.</summary>
public sealed class ProxyConfigMapperTests
{
    private static readonly ObjectKey Web = new("shop", "web");
    private static readonly ObjectKey Db = new("shop", "db");

    private static Service Svc(ObjectKey key, IEnumerable<ServicePort> ports, params (string Key, string Value)[] annotations) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = key.Namespace,
            Name = key.Name,
            Annotations = ValueMap.From(annotations.Select(a => new KeyValuePair<string, string>(a.Key, a.Value))),
        },
        Spec = new ServiceSpec { Ports = ValueList.From(ports) },
    };

    private static CatalogEntry Entry(Service service, string source = "file", params (string Port, string[] Ready)[] ports) => new()
    {
        Key = service.Key(),
        Source = source,
        Service = service,
        Ports = ports.ToDictionary(p => p.Port, p => (IReadOnlyList<string>)p.Ready),
    };

    private static readonly ServicePort Http = new() { Name = "http", Port = 80 };

    private static ValueTask<IList<Exception>> NoErrors(RouteConfig route) => new([]);

    private static async Task<ProxyConfigMapper> Mapped(bool servicePathRoutes, params CatalogEntry[] entries)
    {
        var mapper = new ProxyConfigMapper(servicePathRoutes);
        await mapper.ApplyAsync(entries.Select(e => e.Key), k => entries.Single(e => e.Key == k), NoErrors);
        return mapper;
    }

    [Fact]
    public async Task Each_tcp_port_is_a_cluster_named_by_port_name_or_number_with_the_ready_addresses_as_destinations()
    {
        var service = Svc(Web, [Http, new ServicePort { Port = 9090 }, new ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }]);
        var mapper = await Mapped(false, Entry(service, "etcd", ("http", ["10.0.0.1:8080", "10.0.0.2:8080"]), ("", ["10.0.0.1:9090"])));

        Assert.Equal(["shop/web:http", "shop/web:9090"], mapper.Clusters.Select(c => c.ClusterId));
        var http = mapper.Clusters[0];
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], http.Destinations!.Keys);
        Assert.Equal(["http://10.0.0.1:8080", "http://10.0.0.2:8080"], http.Destinations.Values.Select(d => d.Address));
        Assert.Equal("etcd", http.Metadata![ProxyConfigMapper.SourceMetadata]);
        Assert.Equal("RoundRobin", http.LoadBalancingPolicy);
        Assert.Equal(["http://10.0.0.1:9090"], mapper.Clusters[1].Destinations!.Values.Select(d => d.Address));
        Assert.Empty(mapper.Routes);
    }

    [Fact]
    public async Task A_port_without_ready_addresses_is_a_cluster_without_destinations()
    {
        var mapper = await Mapped(false, Entry(Svc(Web, [Http])));

        Assert.Empty(Assert.Single(mapper.Clusters).Destinations!);
    }

    [Theory]
    [InlineData("https", null, "https")]
    [InlineData("https-admin", null, "https")]
    [InlineData("web", "https", "https")]
    [InlineData("web", "HTTPS", "https")]
    [InlineData("http", null, "http")]
    [InlineData("web", "kubernetes.io/h2c", "http")]
    [InlineData("web", null, "http")]
    public async Task The_destination_scheme_is_https_when_the_port_name_or_app_protocol_says_so(string name, string? appProtocol, string scheme)
    {
        var port = new ServicePort { Name = name, Port = 443, AppProtocol = appProtocol };
        var mapper = await Mapped(false, Entry(Svc(Web, [port]), "file", (name, ["10.0.0.1:8443"])));

        Assert.Equal($"{scheme}://10.0.0.1:8443", Assert.Single(Assert.Single(mapper.Clusters).Destinations!.Values).Address);
    }

    [Fact]
    public async Task An_h2c_port_is_forwarded_as_exactly_http2()
    {
        var port = new ServicePort { Name = "grpc", Port = 50051, AppProtocol = "kubernetes.io/h2c" };
        var mapper = await Mapped(false, Entry(Svc(Web, [port])));

        Assert.Equal(new Version(2, 0), Assert.Single(mapper.Clusters).HttpRequest!.Version);
    }

    [Fact]
    public async Task The_annotations_make_one_route_to_the_http_port_with_their_hosts_and_path()
    {
        var service = Svc(Web, [new ServicePort { Name = "metrics", Port = 9100 }, Http],
            (OrleansConfigProxyOptions.RouteHostsAnnotation, " shop.example.com, *.shop.test ,"),
            (OrleansConfigProxyOptions.RoutePathAnnotation, "/api/{**rest}"));
        var mapper = await Mapped(false, Entry(service));

        var route = Assert.Single(mapper.Routes);
        Assert.Equal("shop/web", route.RouteId);
        Assert.Equal("shop/web:http", route.ClusterId);
        Assert.Equal(["shop.example.com", "*.shop.test"], route.Match.Hosts!);
        Assert.Equal("/api/{**rest}", route.Match.Path);
    }

    [Fact]
    public async Task Hosts_alone_or_a_path_alone_make_a_route_to_the_first_port_when_none_is_named_http()
    {
        var hostsOnly = Svc(Web, [new ServicePort { Port = 8080 }, new ServicePort { Name = "admin", Port = 9000 }],
            (OrleansConfigProxyOptions.RouteHostsAnnotation, "web.test"));
        var pathOnly = Svc(Db, [new ServicePort { Name = "sql", Port = 5432 }], (OrleansConfigProxyOptions.RoutePathAnnotation, "/db"));
        var mapper = await Mapped(false, Entry(hostsOnly), Entry(pathOnly));

        Assert.Collection(
            mapper.Routes,
            db =>
            {
                Assert.Equal("shop/db:sql", db.ClusterId);
                Assert.Null(db.Match.Hosts);
                Assert.Equal("/db", db.Match.Path);
            },
            web =>
            {
                Assert.Equal("shop/web:8080", web.ClusterId);
                Assert.Equal(["web.test"], web.Match.Hosts!);
                Assert.Null(web.Match.Path);
            });
    }

    [Fact]
    public async Task Without_annotations_a_service_has_no_route_unless_service_path_routes_are_on()
    {
        Assert.Empty((await Mapped(false, Entry(Svc(Web, [Http])))).Routes);

        var route = Assert.Single((await Mapped(true, Entry(Svc(Web, [new ServicePort { Name = "admin", Port = 9000 }, Http])))).Routes);

        Assert.Equal("shop/web/prefix", route.RouteId);
        Assert.Equal("shop/web:http", route.ClusterId);
        Assert.Equal("/shop/web/{**rest}", route.Match.Path);
        Assert.Equal("/shop/web", Assert.Single(route.Transforms!)["PathRemovePrefix"]);
    }

    [Fact]
    public async Task Unchanged_clusters_and_routes_are_the_same_objects_after_a_change_elsewhere_or_to_another_port()
    {
        var annotations = (OrleansConfigProxyOptions.RoutePathAnnotation, "/web/{**rest}");
        var web = Entry(Svc(Web, [Http, new ServicePort { Name = "admin", Port = 9000 }], annotations), "file",
            ("http", ["10.0.0.1:8080"]), ("admin", ["10.0.0.1:9000"]));
        var db = Entry(Svc(Db, [new ServicePort { Name = "sql", Port = 5432 }]), "file", ("sql", ["10.0.0.9:5432"]));
        var current = new Dictionary<ObjectKey, CatalogEntry> { [Web] = web, [Db] = db };
        var mapper = new ProxyConfigMapper(servicePathRoutes: true);
        await mapper.ApplyAsync([Web, Db], k => current.GetValueOrDefault(k), NoErrors);
        var clusters = mapper.Clusters.ToDictionary(c => c.ClusterId);
        var routes = mapper.Routes.ToDictionary(r => r.RouteId);

        // A new Endpoints for web's admin port only: a new entry whose http cluster and routes are equal to the old ones.
        current[Web] = web with { Ports = new Dictionary<string, IReadOnlyList<string>> { ["http"] = ["10.0.0.1:8080"], ["admin"] = ["10.0.0.2:9000"] } };
        var result = await mapper.ApplyAsync([Web], k => current.GetValueOrDefault(k), NoErrors);

        Assert.True(result.Changed);
        Assert.Same(clusters["shop/web:http"], mapper.Clusters.Single(c => c.ClusterId == "shop/web:http"));
        Assert.NotSame(clusters["shop/web:admin"], mapper.Clusters.Single(c => c.ClusterId == "shop/web:admin"));
        Assert.Same(clusters["shop/db:sql"], mapper.Clusters.Single(c => c.ClusterId == "shop/db:sql"));
        Assert.All(mapper.Routes, r => Assert.Same(routes[r.RouteId], r));
    }

    [Fact]
    public async Task An_entry_that_maps_to_equal_objects_is_no_change_and_a_removed_one_is()
    {
        var web = Entry(Svc(Web, [Http]), "file", ("http", ["10.0.0.1:8080"]));
        CatalogEntry? current = web;
        var mapper = new ProxyConfigMapper(servicePathRoutes: false);
        Assert.True((await mapper.ApplyAsync([Web], _ => current, NoErrors)).Changed);
        var cluster = Assert.Single(mapper.Clusters);

        // A label is no part of the configuration.
        current = web with { Service = web.Service with { Metadata = web.Service.Metadata with { Labels = ValueMap.From([new("rev", "2")]) } } };
        Assert.False((await mapper.ApplyAsync([Web], _ => current, NoErrors)).Changed);
        Assert.Same(cluster, Assert.Single(mapper.Clusters));

        current = null;
        Assert.True((await mapper.ApplyAsync([Web], _ => current, NoErrors)).Changed);
        Assert.Empty(mapper.Clusters);
    }

    [Fact]
    public async Task A_route_yarp_would_refuse_is_left_out_and_returned_with_its_errors_while_its_cluster_stays()
    {
        using var services = new ServiceCollection().AddLogging().AddRouting().AddReverseProxy().Services.BuildServiceProvider();
        var validator = services.GetRequiredService<IConfigValidator>();
        var bad = Entry(Svc(Web, [Http], (OrleansConfigProxyOptions.RoutePathAnnotation, "/api/{**rest")));
        var good = Entry(Svc(Db, [Http], (OrleansConfigProxyOptions.RoutePathAnnotation, "/db/{**rest}")));
        var mapper = new ProxyConfigMapper(servicePathRoutes: false);

        var result = await mapper.ApplyAsync([Web, Db], k => k == Web ? bad : good, validator.ValidateRouteAsync);

        Assert.Equal("shop/web", Assert.Single(result.Rejected).Route.RouteId);
        Assert.NotEmpty(result.Rejected[0].Errors);
        Assert.Equal("shop/db", Assert.Single(mapper.Routes).RouteId);
        Assert.Equal(["shop/db:http", "shop/web:http"], mapper.Clusters.Select(c => c.ClusterId));
    }
}
