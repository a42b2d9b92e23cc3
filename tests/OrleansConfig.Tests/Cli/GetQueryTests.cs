using OrleansConfig.Cli.Commands;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class GetQueryTests
{
    private static readonly Service[] Services =
    [
        Service("default", "web", "file"), Service("default", "web", "manual"), Service("shop", "web", "file"),
            Service("shop", "cart", "file"),
    ];

    private static Service Service(string ns, string name, string source) =>
        new Service { Metadata = new ObjectMeta { Namespace = ns, Name = name } }.WithSource(source);

    private static string[] Keys(GetResult result) => [.. result.Services.Select(s => $"{s.Metadata.Key}@{s.Source()}")];

    [Fact]
    public void Without_a_namespace_a_list_spans_every_namespace() =>
        Assert.Equal(["default/web@file", "default/web@manual", "shop/cart@file", "shop/web@file"],
            Keys(new GetQuery([ResourceKind.Services], [], null, null).Select(Services, [])));

    [Fact]
    public void A_namespace_filters_the_list() =>
        Assert.Equal(["shop/cart@file", "shop/web@file"],
            Keys(new GetQuery([ResourceKind.Services], [], "shop", null).Select(Services, [])));

    [Fact]
    public void A_name_is_looked_up_in_namespace_default_and_shows_every_source_that_has_it()
    {
        var result = new GetQuery([ResourceKind.Services], ["web"], null, null).Select(Services, []);

        Assert.Equal(["default/web@file", "default/web@manual"], Keys(result));
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void A_missing_name_is_reported_per_kind_in_the_order_asked()
    {
        var result = new GetQuery([ResourceKind.Services, ResourceKind.Endpoints], ["nope", "cart"], "shop", "file").Select(Services, []);

        Assert.Equal(["shop/cart@file"], Keys(result));
        Assert.Equal(
        [
            "not found: services \"nope\" in namespace shop of source file",
            "not found: endpoints \"nope\" in namespace shop of source file",
            "not found: endpoints \"cart\" in namespace shop of source file",
        ], result.Missing);
    }
}
