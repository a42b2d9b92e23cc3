using Microsoft.Extensions.Configuration;
using OrleansConfig.Silo.Http;
using Xunit;

namespace OrleansConfig.Tests.Http;

public sealed class HttpSettingsTests : IDisposable
{
    private const string BeyondLoopback =
        "beyond loopback without OrleansConfig:Http:TokenFile; set one, or set OrleansConfig:Insecure=true if you mean it";

    private readonly string _directory = Directory.CreateTempSubdirectory("orleans-config-http-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IReadOnlyList<string> Check(params (string Key, string Value)[] settings) =>
        HttpSettings.Check(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build());

    private string TokenFile(string contents)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, contents);
        return path;
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.2:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("https://LOCALHOST:8443/base")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://unix:/run/orleans-config.sock")]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080")]
    public void Loopback_urls_need_no_token(string urls) => Assert.Empty(Check(("urls", urls)));

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://silo-1:8080")]
    [InlineData("http://localhost.example:8080")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://[fe80::1]:8080")]
    public void A_url_beyond_loopback_without_a_token_is_refused(string url) =>
        Assert.Equal([$"HTTP listens on {url} {BeyondLoopback}"], Check(("urls", url)));

    [Fact]
    public void Each_url_beyond_loopback_is_named()
    {
        Assert.Equal(
            [$"HTTP listens on http://*:8081 {BeyondLoopback}", $"HTTP listens on https://0.0.0.0:8443 {BeyondLoopback}"],
            Check(("urls", "http://127.0.0.1:8080; http://*:8081;https://0.0.0.0:8443")));
    }

    [Fact]
    public void Kestrel_endpoints_are_checked_too()
    {
        Assert.Equal(
            [$"HTTP listens on http://0.0.0.0:9090 {BeyondLoopback}"],
            Check(("urls", "http://127.0.0.1:8080"), ("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:9090")));
    }

    [Fact]
    public void Beyond_loopback_is_allowed_with_a_token_or_with_Insecure_true()
    {
        Assert.Empty(Check(("urls", "http://0.0.0.0:8080"), (HttpSettings.TokenFileKey, TokenFile("secret\n"))));
        Assert.Empty(Check(("urls", "http://0.0.0.0:8080"), (HttpSettings.InsecureKey, "true")));
        Assert.Equal([$"HTTP listens on http://0.0.0.0:8080 {BeyondLoopback}"],
            Check(("urls", "http://0.0.0.0:8080"), (HttpSettings.InsecureKey, "false")));
    }

    [Fact]
    public void Insecure_that_is_not_a_boolean_is_named()
    {
        Assert.Equal(
            ["OrleansConfig:Insecure: must be true or false, got \"yes\"", $"HTTP listens on http://0.0.0.0:8080 {BeyondLoopback}"],
            Check(("urls", "http://0.0.0.0:8080"), (HttpSettings.InsecureKey, "yes")));
    }

    [Fact]
    public void A_url_that_is_not_a_url_is_named_with_its_key() =>
        Assert.Equal(["urls: \"127.0.0.1:8080\" is not a URL like http://127.0.0.1:8080"], Check(("urls", "127.0.0.1:8080")));

    [Fact]
    public void Without_urls_nothing_is_checked() =>
        Assert.Empty(Check((HttpSettings.TokenFileKey, "/does/not/exist"), ("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:9090")));

    [Fact]
    public void The_token_is_the_file_trimmed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            KeyValuePair.Create("urls", (string?)"http://127.0.0.1:8080"),
            KeyValuePair.Create(HttpSettings.TokenFileKey, (string?)TokenFile("  s3cret-Token_1.2~+/=\r\n\n")),
        ]).Build();

        Assert.Empty(HttpSettings.Check(configuration));
        Assert.Equal("s3cret-Token_1.2~+/=", HttpSettings.ReadToken(configuration));
    }

    [Fact]
    public void A_missing_empty_or_spaced_token_file_is_refused_naming_the_key()
    {
        var missing = Path.Combine(_directory, "missing");
        var empty = TokenFile(" \n\t\n");
        var spaced = TokenFile("two words");

        Assert.Equal([$"OrleansConfig:Http:TokenFile: file \"{missing}\" does not exist"],
            Check(("urls", "http://127.0.0.1:8080"), (HttpSettings.TokenFileKey, missing)));
        Assert.Equal([$"OrleansConfig:Http:TokenFile: file \"{empty}\" is empty"],
            Check(("urls", "http://0.0.0.0:8080"), (HttpSettings.TokenFileKey, empty)));
        Assert.Equal(
            [$"OrleansConfig:Http:TokenFile: the token in \"{spaced}\" must be one word of printable ASCII, without spaces or control " +
                $"characters"],
            Check(("urls", "http://127.0.0.1:8080"), (HttpSettings.TokenFileKey, spaced)));
    }

    [Fact]
    public void An_empty_token_file_setting_means_no_token() =>
        Assert.Empty(Check(("urls", "http://127.0.0.1:8080"), (HttpSettings.TokenFileKey, "")));
}
