using System.Diagnostics;
using System.Text;
using Xunit;

namespace OrleansConfig.Tests.Manifests;

public class ManifestLimitsTests
{
    // Generous for a loaded two-core machine: the point is "not exponential, not a stack overflow".
    // A bound on refusing hostile input, generous for a busy 2-core machine; speed itself is measured elsewhere.
    private static readonly TimeSpan s_fast = TimeSpan.FromSeconds(10);

    [Fact]
    public void Json_nested_100000_arrays_deep_is_refused_fast()
    {
        AssertRefusedFast(new string('[', 100_000), "document is nested deeper than the limit of 64 levels (line 1, byte 65)");
    }

    [Fact]
    public void Json_nested_100000_objects_deep_is_refused_fast()
    {
        AssertRefusedFast(string.Concat(Enumerable.Repeat("{\"a\":", 100_000)), "document is nested deeper than the limit of 64 levels (line 1, byte 321)");
    }

    [Fact]
    public void Yaml_nested_100000_block_sequences_deep_is_refused_fast()
    {
        AssertRefusedFast(string.Concat(Enumerable.Repeat("- ", 100_000)) + "x", "document is nested deeper than the limit of 64 levels (line 1, column 129)");
    }

    [Fact]
    public void Yaml_nested_100000_flow_sequences_deep_is_refused_fast()
    {
        AssertRefusedFast("x: " + new string('[', 100_000), "document is nested deeper than the limit of 64 levels (line 1, column 67)");
    }

    [Fact]
    public void Yaml_nested_100000_flow_maps_deep_is_refused_fast()
    {
        AssertRefusedFast("x: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)), "document is nested deeper than the limit of 64 levels (line 1, column 256)");
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_fast()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        AssertRefusedFast(yaml.ToString(), "document expands to more than the limit of 16777216 values (too many aliases) (line 8, column 10)");
    }

    [Fact]
    public void An_alias_cannot_nest_a_document_past_the_depth_limit()
    {
        const string yaml = "a: &deep [[[[1]]]]\nb: [[*deep]]\n";

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml, new ManifestLimits { MaxDepth = 6 }));

        Assert.Equal([new FieldError("", "document is nested deeper than the limit of 6 levels (line 2, column 6)")], error.Errors);
    }

    [Fact]
    public void The_depth_limit_is_configurable()
    {
        const string yaml = "kind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}";

        Assert.Single(Manifest.Parse(yaml, new ManifestLimits { MaxDepth = 4 }).Services);
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml, new ManifestLimits { MaxDepth = 3 }));
        Assert.Equal([new FieldError("", "document is nested deeper than the limit of 3 levels (line 3, column 16)")], error.Errors);
    }

    [Fact]
    public void Input_over_16_MiB_is_refused_by_default()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(new string(' ', 16 * 1024 * 1024 + 1)));

        Assert.Equal([new FieldError("", "input is 16777217 bytes, more than the limit of 16777216 bytes")], error.Errors);
    }

    [Fact]
    public void The_size_limit_counts_utf8_bytes_not_characters()
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse("# ééééé", new ManifestLimits { MaxBytes = 11 }));

        Assert.Equal([new FieldError("", "input is 12 bytes, more than the limit of 11 bytes")], error.Errors);
    }

    [Fact]
    public void More_items_than_the_limit_are_refused()
    {
        var services = Enumerable.Range(0, 4).Select(i => Service($"web-{i}"));
        var json = Manifest.ToJson(services, []);

        Assert.Equal(3, Manifest.Parse(Manifest.ToJson(services.Take(3), []), new ManifestLimits { MaxItems = 3 }).Services.Count);
        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(json, new ManifestLimits { MaxItems = 3 }));
        Assert.Equal([new FieldError("items[3]", "more than the limit of 3 items")], error.Errors);
    }

    [Fact]
    public void More_yaml_documents_than_the_item_limit_are_refused()
    {
        var yaml = string.Join("---\n", Enumerable.Range(0, 4).Select(i => $"kind: Service\nmetadata: {{name: web-{i}}}\nspec: {{ports: [{{port: 80}}]}}\n"));

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(yaml, new ManifestLimits { MaxItems = 3 }));

        Assert.Equal([new FieldError("", "more than the limit of 3 documents (line 12, column 1)")], error.Errors);
    }

    [Fact]
    public void Limits_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxItems = -1 });
        Assert.Equal((16L * 1024 * 1024, 64, 100_000), (ManifestLimits.Default.MaxBytes, ManifestLimits.Default.MaxDepth, ManifestLimits.Default.MaxItems));
    }

    [Fact]
    public void A_large_valid_list_parses_in_linear_time()
    {
        var services = Enumerable.Range(0, 20_000).Select(i => Service($"web-{i}")).ToArray();
        var json = Manifest.ToJson(services, []);
        var stopwatch = Stopwatch.StartNew();

        var manifest = Manifest.Parse(json);

        Assert.Equal(services, manifest.Services);
        Assert.True(stopwatch.Elapsed < s_fast, $"took {stopwatch.Elapsed}");
    }

    private static Service Service(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] },
    };

    private static void AssertRefusedFast(string input, string message)
    {
        var stopwatch = Stopwatch.StartNew();

        var error = Assert.Throws<ManifestException>(() => Manifest.Parse(input));

        Assert.Equal([new FieldError("", message)], error.Errors);
        Assert.True(stopwatch.Elapsed < s_fast, $"took {stopwatch.Elapsed}");
    }
}
