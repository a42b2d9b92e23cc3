using OrleansConfig.Cli.Output;
using Xunit;
using static OrleansConfig.Tests.Manifests.ManifestSamples;

namespace OrleansConfig.Tests.Cli;

public sealed class YamlTests
{
    [Theory]
    [InlineData("kubectl-clusterip.json")]
    [InlineData("kubectl-endpoints.json")]
    [InlineData("kubectl-externalname.json")]
    [InlineData("kubectl-headless.json")]
    [InlineData("kubectl-loadbalancer.json")]
    [InlineData("kubectl-multiport.json")]
    [InlineData("kubectl-nodeport.json")]
    [InlineData("list-mixed.json")]
    [InlineData("servicelist.json")]
    public void Yaml_output_reads_back_as_the_same_items(string sample)
    {
        var manifest = Manifest.Parse(Read(sample));

        var yaml = Yaml.FromJson(manifest.ToJson());

        Assert.Equal(manifest, Manifest.Parse(yaml));
    }

    [Fact]
    public void A_list_is_written_as_kubectl_writes_it()
    {
        var yaml =
            Yaml.FromJson(
            """{"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"web","labels":{}},"ports":[{"port":80,"name":"8080"}],"ips":["10.0.0.1","::1"]}]}""");

        Assert.Equal(
            """
            apiVersion: v1
            kind: List
            items:
            - metadata:
                name: web
                labels: {}
              ports:
              - port: 80
                name: "8080"
              ips:
              - 10.0.0.1
              - "::1"

            """.Replace("\r\n", "\n"),
            yaml);
    }

    [Theory]
    [InlineData("web", "web")]
    [InlineData("orleans-config/source", "orleans-config/source")]
    [InlineData("10.96.0.10", "10.96.0.10")]
    [InlineData("80", "\"80\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("1e3", "\"1e3\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("No", "\"No\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("", "\"\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("a #b", "\"a #b\"")]
    [InlineData("-x", "\"-x\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    public void A_string_is_quoted_only_when_yaml_would_read_it_as_something_else(string value, string expected) =>
        Assert.Equal(expected, Yaml.String(value));
}
