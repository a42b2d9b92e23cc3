using System.Diagnostics;
using System.Text;
using Xunit;

namespace OrleansConfig.Tests.Manifests;

public class ManifestLimitsTests
{
    // Generous for a loaded two-core machine: the point is "not exponential, not a stack overflow".
    // A bound on refusing hostile input, generous for a busy 2-core machine; speed itself is measured elsewhere.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(10);

    [Fact]
    public void Json_nested_100000_arrays_deep_is_refused_fast()
    {
        AssertRefusedFast(new string('[', 100_000), "document is nested deeper than the limit of 64 levels (line 1, byte 65)");
    }

    [Fact]
    public void Json_nested_100000_objects_deep_is_refused_fast()
    {
        AssertRefusedFast(string.Concat(Enumerable.Repeat("{\"a\":", 100_000)),
            "document is nested deeper than the limit of 64 levels (line 1, byte 321)");
    }

    [Fact]
    public void Yaml_nested_100000_block_sequences_deep_is_refused_fast()
    {
        AssertRefusedFast(string.Concat(Enumerable.Repeat("- ", 100_000)) + "x",
            "document is nested deeper than the limit of 64 levels (line 1, column 129)");
    }

    [Fact]
    public void Yaml_nested_100000_flow_sequences_deep_is_refused_fast()
    {
        AssertRefusedFast("x: " + new string('[', 100_000), "document is nested deeper than the limit of 64 levels (line 1, column 67)");
    }

    [Fact]
    public void Yaml_nested_100000_flow_maps_deep_is_refused_fast()
    {
        AssertRefusedFast("x: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)),
            "document is nested deeper than the limit of 64 levels (line 1, column 256)");
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_fast()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        AssertRefusedFast(yaml.ToString(), "document: excessive aliasing: aliases expand to 2331 nodes from 19 (line 4, column 10)");
        // Refused on counts, before any alias is walked: a few kilobytes of input cost little more than reading them.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1024 * 1024,
            $"allocated {GC.GetAllocatedBytesForCurrentThread() - allocated} bytes");
    }

    [Fact]
    public void Excessive_aliasing_is_refused_before_the_node_budget_would_be()
    {
        // Aliases of a 100-node list: refused once they are over 99% of some 10,000 nodes, far below the budget of 16 Mi nodes.
        var yaml =
            $"base: &base [{string.Join(", ", Enumerable.Repeat("x", 99))}]\nmany: " +
            $"[{string.Join(", ", Enumerable.Repeat("*base", 200))}]\n";

        AssertRefusedFast(yaml, "document: excessive aliasing: aliases expand to 10300 nodes from 104 (line 2, column 722)");
    }

    [Fact]
    public void A_large_document_sharing_a_few_anchors_is_accepted()
    {
        // One List of 500 Endpoints that share their ports through an anchor, and a Service merged from another:
        // thousands of nodes, a small share of them from aliases.
        var yaml = new StringBuilder("kind: List\nitems:\n");
        yaml.Append(
            "- {kind: Service, metadata: &meta {name: web, labels: {app: web, tier: front}}, spec: {ports: &ports [{name: http, port: " +
            "80}, {name: admin, port: 81}]}}\n");
        yaml.Append(
            "- {kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{ip: 10.0.0.1}], ports: &eports [{name: http, port: " +
            "8080}]}]}\n");
        for (var i = 1; i < 500; i++)
        {
            yaml.Append(
                $"- {{kind: Endpoints, metadata: {{name: web-{i}, labels: {{app: web, index: \"{i}\"}}}}, subsets: [{{addresses: " +
                $"[{{ip: 10.0.{i / 250}.{i % 250 + 1}}}], ports: *eports}}]}}\n");
        }
        yaml.Append("- {kind: Service, metadata: {<<: *meta, name: web-2}, spec: {ports: *ports}}\n");

        var parsed = Manifest.Parse(yaml.ToString());

        Assert.Equal(2, parsed.Services.Count);
        Assert.Equal(500, parsed.Endpoints.Count);
        Assert.Equal(parsed.Services[0].Spec!.Ports, parsed.Services[1].Spec!.Ports);
        Assert.Equal("front", parsed.Services[1].Metadata.Labels!["tier"]);
    }

    [Fact]
    public void A_document_that_is_mostly_aliases_is_accepted_while_it_is_small()
    {
        // go-yaml's floor: a document of up to 1,000 nodes may be almost all aliases.
        var yaml = "kind: Endpoints\nmetadata: {name: web}\nsubsets: [&s {addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}, "
            + string.Join(", ", Enumerable.Repeat("*s", 80)) + "]\n";

        Assert.Equal(81, Assert.Single(Manifest.Parse(yaml).Endpoints).Subsets.Count);
    }

    private static void AssertRefusedFast(string input, string message)
    {
        var stopwatch = Stopwatch.StartNew();

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(input));

        Assert.Equal([new FieldError("", message)], error.Errors);
        Assert.True(stopwatch.Elapsed < Fast, $"took {stopwatch.Elapsed}");
    }
}
