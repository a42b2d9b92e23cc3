using OrleansConfig.Validation;
using Xunit;

namespace OrleansConfig.Tests.Validation;

public class NameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("web")]
    [InlineData("web-1")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Dns1035_labels_start_with_a_letter(string name)
    {
        Assert.Null(NameRules.Dns1035Label(name));
    }

    [Theory]
    [InlineData("1web")]
    [InlineData("web-")]
    [InlineData("-web")]
    [InlineData("Web")]
    [InlineData("web.1")]
    [InlineData("")]
    public void Dns1035_labels_refuse_the_rest(string name)
    {
        Assert.NotNull(NameRules.Dns1035Label(name));
    }

    [Theory]
    [InlineData("80-8080", true)]
    [InlineData("1", true)]
    [InlineData("a.b", false)]
    [InlineData("a_b", false)]
    public void Dns1123_labels_may_start_with_a_digit(string name, bool valid)
    {
        Assert.Equal(valid, NameRules.Dns1123Label(name) is null);
    }

    [Theory]
    [InlineData("db.example.com", true)]
    [InlineData("a", true)]
    [InlineData("a..b", false)]
    [InlineData("a.-b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    public void Dns1123_subdomains_are_dotted_labels(string name, bool valid)
    {
        Assert.Equal(valid, NameRules.Dns1123Subdomain(name) is null);
    }

    [Fact]
    public void Dns1123_subdomains_hold_at_most_253_characters()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];

        Assert.Null(NameRules.Dns1123Subdomain(name));
        Assert.Equal(
            $"invalid DNS-1123 subdomain \"{name[..64]}\"... (254 characters): must be no more than 253 characters",
            NameRules.Dns1123Subdomain(name + "a"));
    }

    [Theory]
    [InlineData("app", null)]
    [InlineData("app.kubernetes.io/name", null)]
    [InlineData("MyKey_1.x", null)]
    [InlineData("/app", "invalid label key \"/app\": prefix part must be non-empty")]
    [InlineData("example.com/", "invalid label key \"example.com/\": name part must be non-empty")]
    [InlineData("a/b/c",
        "invalid label key \"a/b/c\": must be a name with an optional DNS-1123 subdomain prefix and '/' (e.g. \"example.com/name\")")]
    [InlineData("app_",
        "invalid label key \"app_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with " +
        "an alphanumeric character")]
    public void Qualified_names_have_an_optional_subdomain_prefix(string key, string? error)
    {
        Assert.Equal(error, NameRules.QualifiedName(key, "label key"));
    }

    [Fact]
    public void Annotation_key_prefixes_are_checked_without_case()
    {
        Assert.Null(NameRules.QualifiedName("Example.COM/Note", "annotation key", prefixIgnoresCase: true));
        Assert.NotNull(NameRules.QualifiedName("Example.COM/Note", "label key"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void Label_values_may_be_empty(string value, bool valid)
    {
        Assert.Equal(valid, NameRules.LabelValue(value) is null);
    }

    [Theory]
    [InlineData("http", null)]
    [InlineData("h2c-8080", null)]
    [InlineData("8080", "must contain at least one letter (a-z)")]
    [InlineData("-http", "must not begin or end with '-'")]
    [InlineData("http-", "must not begin or end with '-'")]
    [InlineData("a--b", "must not contain consecutive '-'")]
    [InlineData("http_alt", "must contain only lower case alphanumeric characters (a-z, 0-9) and '-'")]
    [InlineData("abcdefghijklmnop", "must be no more than 15 characters")]
    public void Named_ports_follow_iana_service_names(string name, string? rule)
    {
        Assert.Equal(rule is null ? null : $"invalid port name \"{name}\": {rule}", NameRules.IanaServiceName(name));
    }

    [Fact]
    public void Values_in_messages_are_escaped_and_cut_short()
    {
        Assert.Equal("\"a\\u0000\\\"b\\n\"", ErrorText.Quote("a\0\"b\n"));
        Assert.Equal($"\"{new string('x', 64)}\"... (100 characters)", ErrorText.Quote(new string('x', 100)));
    }
}
