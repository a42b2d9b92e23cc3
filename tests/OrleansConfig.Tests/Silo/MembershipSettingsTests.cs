using Microsoft.Extensions.Configuration;
using OrleansConfig.Silo;
using Xunit;

namespace OrleansConfig.Tests.Silo;

public sealed class MembershipSettingsTests
{
    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] values) =>
        MembershipSettings.Check(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create("Orleans:Membership:" + v.Key, (string?)v.Value))).Build());

    [Fact]
    public void Orleans_membership_options_with_good_values_pass_in_any_case()
    {
        Assert.Empty(Errors(
            ("ProbeTimeout", "00:00:01"), ("numMissedProbesLimit", "3"), ("NumVotesForDeathDeclaration", "2"),
            ("IAmAliveTablePublishTimeout", "00:00:05"), ("EnableIndirectProbes", "false"),
            ("DefunctSiloExpiration", "1.00:00:00")));
    }

    [Fact]
    public void Each_bad_value_is_named_by_its_key_with_what_it_must_be()
    {
        Assert.Equal(
        [
            "Orleans:Membership:EnableIndirectProbes: must be true or false, got \"no\"",
            "Orleans:Membership:NumMissedProbesLimit: must be a whole number of at least 1, got \"0\"",
            "Orleans:Membership:ProbeTimeout: must be a positive duration such as 00:00:05, got \"00:00:00\"",
            "Orleans:Membership:TableRefreshTimeout: must be a positive duration such as 00:00:05, got \"5s\"",
        ], Errors(
            ("ProbeTimeout", "00:00:00"), ("TableRefreshTimeout", "5s"), ("NumMissedProbesLimit", "0"),
            ("EnableIndirectProbes", "no")));
    }

    [Fact]
    public void A_setting_orleans_no_longer_has_is_refused_not_ignored()
    {
        // Orleans 10 dropped this option: bound anyway, it changed nothing, and a restart measured with it proved so.
        var error = Assert.Single(Errors(("ValidateInitialConnectivity", "false")));
        Assert.StartsWith("Orleans:Membership:ValidateInitialConnectivity: unknown setting", error);
    }

    [Fact]
    public void A_misspelt_key_is_refused_not_ignored()
    {
        var error = Assert.Single(Errors(("ProbeTimout", "00:00:01")));
        Assert.StartsWith("Orleans:Membership:ProbeTimout: unknown setting (Orleans' ClusterMembershipOptions has ", error);
        Assert.Contains("ProbeTimeout", error);
    }
}
