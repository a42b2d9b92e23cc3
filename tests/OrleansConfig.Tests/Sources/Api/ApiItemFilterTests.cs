using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiItemFilterTests
{
    private readonly ApiItemFilter<Service> _filter = new("service", item => ConfigValidator.Validate(item));

    [Fact]
    public void A_list_keeps_the_valid_objects_and_names_each_bad_one_once()
    {
        List<ApiBadObject> bad = [];
        var good =
            _filter.FromList([Items.Service("web"), Items.Service("big", port: 70000), Items.Service("web", port: 81)], bad);

        Assert.Equal([Items.Service("web")], good);
        Assert.Equal(
            ["default/big: spec.ports[0].port: must be between 1 and 65535, got 70000",
            "default/web: listed more than once; the first is kept"],
            bad.Select(b => $"{b.Key}: {b.Reason}"));

        List<ApiBadObject> again = [];
        _filter.FromList([Items.Service("big", port: 70000)], again);
        Assert.Empty(again);
        Assert.Equal(1, _filter.BadCount);

        List<ApiBadObject> changed = [];
        _filter.FromList([Items.Service("big", port: 70001)], changed);
        Assert.Single(changed);
    }
}
