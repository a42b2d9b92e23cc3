using OrleansConfig.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdKeyLayoutTests
{
    private readonly EtcdKeyLayout _layout = new("/registry/services");

    [Theory]
    [InlineData("/registry/services/specs/default/web", "Service", "default", "web")]
    [InlineData("/registry/services/endpoints/team-a/web", "Endpoints", "team-a", "web")]
    [InlineData("/registry/services/endpointslices/shop/web-abc12", "EndpointSlice", "shop", "web-abc12")]
    public void A_key_in_a_kind_folder_names_its_item(string key, string kind, string ns, string name)
    {
        Assert.Equal(new EtcdKey(Enum.Parse<EtcdKind>(kind), ns, name), _layout.Parse(key, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/registry/services/other/default/web")]
    [InlineData("/registry/services/specsx/default/web")]
    [InlineData("/registry/minions/default/web")]
    [InlineData("/registry/services")]
    public void A_key_outside_both_folders_is_not_ours(string key)
    {
        Assert.Null(_layout.Parse(key, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/registry/services/specs/default")]
    [InlineData("/registry/services/specs/default/")]
    [InlineData("/registry/services/specs//web")]
    [InlineData("/registry/services/endpoints/default/web/extra")]
    public void A_malformed_key_in_a_kind_folder_is_an_error_naming_the_layout(string key)
    {
        Assert.Null(_layout.Parse(key, out var error));
        Assert.NotNull(error);
        Assert.Contains("{namespace}/{name}", error);
    }

    [Fact]
    public void A_trailing_slash_on_the_prefix_changes_nothing()
    {
        var layout = new EtcdKeyLayout("/registry/services/");

        Assert.Equal("/registry/services/", layout.WatchPrefix);
        Assert.Equal("/registry/services/specs/", layout.ServicesPrefix);
        Assert.Equal("/registry/services/endpoints/a/b", layout.KeyOf(EtcdKind.Endpoints, "a", "b"));
    }
}
