using System.Net.Sockets;
using OrleansConfig.Validation;
using Xunit;

namespace OrleansConfig.Tests.Validation;

public class IpRulesTests
{
    [Theory]
    [InlineData("1.2.3.4", AddressFamily.InterNetwork)]
    [InlineData("0.0.0.0", AddressFamily.InterNetwork)]
    [InlineData("255.255.255.255", AddressFamily.InterNetwork)]
    [InlineData("10.0.0.10", AddressFamily.InterNetwork)]
    [InlineData("::", AddressFamily.InterNetworkV6)]
    [InlineData("::1", AddressFamily.InterNetworkV6)]
    [InlineData("fe80::1", AddressFamily.InterNetworkV6)]
    [InlineData("2001:db8::8a2e:370:7334", AddressFamily.InterNetworkV6)]
    [InlineData("2001:DB8:0:0:0:0:0:1", AddressFamily.InterNetworkV6)]
    [InlineData("1:2:3:4:5:6:7:8", AddressFamily.InterNetworkV6)]
    [InlineData("1:2:3:4:5:6:7::", AddressFamily.InterNetworkV6)]
    [InlineData("1::8", AddressFamily.InterNetworkV6)]
    [InlineData("::ffff:1.2.3.4", AddressFamily.InterNetworkV6)]
    [InlineData("64:ff9b::192.0.2.33", AddressFamily.InterNetworkV6)]
    [InlineData("1:2:3:4:5:6:1.2.3.4", AddressFamily.InterNetworkV6)]
    public void Valid_addresses_parse_with_their_family(string text, AddressFamily family)
    {
        Assert.Equal(family, IpRules.FamilyOf(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.-1")]
    [InlineData("1.2.3.4.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.0x1")]
    [InlineData("١.٢.٣.٤")]
    [InlineData("::g")]
    [InlineData("fe80::1%eth0")]
    [InlineData(":::")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1.2.3")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("1.2.3.4::")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("[::1]")]
    [InlineData("None")]
    public void Text_a_lax_parser_would_take_is_not_an_address(string text)
    {
        Assert.False(IpRules.IsIP(text));
    }
}
