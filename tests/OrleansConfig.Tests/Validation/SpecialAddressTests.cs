using OrleansConfig.Validation;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Validation;

/// <summary>Kubernetes' ValidateNonSpecialIP for endpoint addresses, as the source grain applies it.</summary>
public sealed class SpecialAddressTests
{
    private const string Loopback = "may not be in the loopback range (127.0.0.0/8, ::1/128)";
    private const string LinkLocal = "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
    private const string Unspecified = "may not be unspecified (0.0.0.0, ::)";
    private const string Multicast = "may not be in the multicast range (224.0.0.0/4, ff00::/8)";

    private static readonly UpdateLimits Limits = new();
    private static readonly ValidationOptions Refuse = new();
    private static readonly ValidationOptions Allow = new() { AllowSpecialAddresses = true };

    [Theory]
    [InlineData("127.0.0.1", Loopback)]
    [InlineData("127.255.255.254", Loopback)]
    [InlineData("::1", Loopback)]
    [InlineData("::ffff:127.0.0.1", Loopback)]
    [InlineData("169.254.169.254", LinkLocal)]
    [InlineData("fe80::1", LinkLocal)]
    [InlineData("febf::1", LinkLocal)]
    [InlineData("0.0.0.0", Unspecified)]
    [InlineData("::", Unspecified)]
    [InlineData("224.0.0.1", Multicast)]
    [InlineData("239.255.255.255", Multicast)]
    [InlineData("ff02::1", Multicast)]
    public void Special_addresses_are_named_by_their_range(string ip, string why) => Assert.Equal(why, IpRules.SpecialRange(ip));

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("fd00::1")]
    [InlineData("fec0::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::2")]
    [InlineData("not-an-ip")]
    [InlineData("1.2.3")]
    public void Ordinary_addresses_and_non_addresses_are_not_special(string ip) => Assert.Null(IpRules.SpecialRange(ip));

    [Fact]
    public void An_update_with_special_addresses_is_refused_with_each_path()
    {
        var endpoints = Addresses("web", "10.0.0.1", "127.0.0.1") with
        {
            Subsets = [new EndpointSubset
            {
                Addresses = [new EndpointAddress { Ip = "10.0.0.1" }, new EndpointAddress { Ip = "127.0.0.1" }],
                NotReadyAddresses = [new EndpointAddress { Ip = "fe80::1" }],
            }],
        };
        var update = new SourceUpdate { Endpoints = new EndpointsUpdate(Operation.Add, [Addresses("ok", "10.0.0.2"), endpoints]) };

        var errors = UpdateValidator.Validate(update, Limits, Refuse);

        Assert.Equal(
        [
            $"endpoints[1].subsets[0].addresses[1].ip: {Loopback}, got \"127.0.0.1\"",
            $"endpoints[1].subsets[0].notReadyAddresses[0].ip: {LinkLocal}, got \"fe80::1\"",
        ], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void AllowSpecialAddresses_lets_them_through()
    {
        var update = new SourceUpdate { Endpoints = new EndpointsUpdate(Operation.Set, [Addresses("web", "127.0.0.1", "::1", "0.0.0.0")]) };

        Assert.Equal(3, UpdateValidator.Validate(update, Limits, Refuse).Count);
        Assert.Empty(UpdateValidator.Validate(update, Limits, Allow));
    }

    [Fact]
    public void A_remove_names_only_keys_so_its_addresses_are_not_checked()
    {
        var update = new SourceUpdate { Endpoints = new EndpointsUpdate(Operation.Remove, [Addresses("web", "127.0.0.1")]) };

        Assert.Empty(UpdateValidator.Validate(update, Limits, Refuse));
    }

    [Fact]
    public void An_address_that_does_not_parse_is_reported_once_by_the_field_rules()
    {
        var update = new SourceUpdate { Endpoints = new EndpointsUpdate(Operation.Add, [Addresses("web", "127.0.0.01")]) };

        var error = Assert.Single(UpdateValidator.Validate(update, Limits, Refuse));
        Assert.Equal("endpoints[0].subsets[0].addresses[0].ip: must be a valid IPv4 or IPv6 address, got \"127.0.0.01\"", error.ToString());
    }
}
