using System.Text;
using OrleansConfig.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdValueDecoderTests
{
    private static readonly EtcdKey WebService = new(EtcdKind.Service, "team-a", "web");
    private static readonly EtcdKey WebEndpoints = new(EtcdKind.Endpoints, "team-a", "web");

    private static (IConfigItem? Item, string? Error) Decode(EtcdKey key, string value)
    {
        var ok = EtcdValueDecoder.TryDecode(key, Encoding.UTF8.GetBytes(value), ManifestLimits.Default, out var item, out var error);
        Assert.Equal(ok, item is not null);
        return (item, error);
    }

    [Fact]
    public void A_service_value_decodes_to_the_service_its_key_names()
    {
        var (item, _) = Decode(WebService, EtcdJson.Service("web", "team-a", port: 8443));

        var service = Assert.IsType<Service>(item);
        Assert.Equal(new ObjectKey("team-a", "web"), service.Key());
        Assert.Equal(8443, service.Spec.Ports[0].Port);
    }

    [Fact]
    public void An_endpoints_value_decodes_to_the_endpoints_its_key_names()
    {
        var (item, _) = Decode(WebEndpoints, EtcdJson.Endpoints("web", "team-a", ip: "10.1.2.3"));

        var endpoints = Assert.IsType<Endpoints>(item);
        Assert.Equal(new ObjectKey("team-a", "web"), endpoints.Key());
        Assert.Equal("10.1.2.3", endpoints.Subsets[0].Addresses[0].Ip);
    }

    [Fact]
    public void A_value_over_the_size_limit_is_refused_before_it_is_parsed_and_the_depth_limit_is_the_manifests()
    {
        var value = Encoding.UTF8.GetBytes(EtcdJson.Service("web", "team-a"));
        var limits = new ManifestLimits { MaxBytes = value.Length - 1, MaxDepth = 3 };

        Assert.False(EtcdValueDecoder.TryDecode(WebService, value, limits, out _, out var error));
        Assert.Equal($"value is {value.Length} bytes, more than the limit of {value.Length - 1} bytes", error);

        // {"metadata":...,"spec":{"ports":[{...}]}} nests four deep.
        Assert.False(EtcdValueDecoder.TryDecode(WebService, value, new ManifestLimits { MaxDepth = 3 }, out _, out error));
        Assert.StartsWith("not JSON: ", error);
        Assert.True(EtcdValueDecoder.TryDecode(WebService, value, new ManifestLimits { MaxDepth = 4 }, out _, out error), error);
    }

    [Fact]
    public void A_value_without_namespace_or_kind_takes_them_from_its_key()
    {
        var (item, _) = Decode(WebService, """{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}""");

        Assert.Equal(new ObjectKey("team-a", "web"), Assert.IsType<Service>(item).Key());
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"api","namespace":"team-a"}}""", "metadata.name: \"api\" does not match the key's name \"web\"")]
    [InlineData("""{"metadata":{"name":"web","namespace":"team-b"}}""",
        "metadata.namespace: \"team-b\" does not match the key's namespace \"team-a\"")]
    [InlineData("""{"kind":"Endpoints","metadata":{"name":"web"}}""", "kind: must be Service under this key, got \"Endpoints\"")]
    [InlineData("""{"metadata":{"namespace":"team-a"}}""", "metadata.name: is required")]
    [InlineData("""{"spec":{}}""", "metadata.name: is required")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""null""", "must be a JSON object")]
    public void A_value_that_contradicts_its_key_or_is_not_an_object_is_bad(string value, string error)
    {
        Assert.Equal((null, error), Decode(WebService, value));
    }

    [Fact]
    public void A_value_that_is_not_json_is_bad()
    {
        var (_, error) = Decode(WebService, "{not json");

        Assert.StartsWith("not JSON: ", error);
    }

    [Fact]
    public void Every_validation_error_of_an_endpoints_value_is_named()
    {
        var (_, error) = Decode(WebEndpoints, EtcdJson.Endpoints("web", "team-a", ip: "10.0.0.300").Replace("8080", "0"));

        Assert.NotNull(error);
        Assert.Contains("subsets[0].addresses[0].ip", error);
        Assert.Contains("subsets[0].ports[0].port", error);
    }

    [Fact]
    public void A_value_that_fails_validation_is_bad_and_names_the_field()
    {
        var (_, error) = Decode(WebService, EtcdJson.Service("web", "team-a", port: 70000));

        Assert.NotNull(error);
        Assert.Contains("spec.ports[0].port", error);
        Assert.Contains("70000", error);
    }
}
