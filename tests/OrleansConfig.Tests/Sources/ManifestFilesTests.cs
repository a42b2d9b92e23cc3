using OrleansConfig.Sources.File;
using Xunit;

namespace OrleansConfig.Tests.Sources;

public sealed class ManifestFilesTests : IDisposable
{
    private const string Web = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
          - port: 80
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("oc-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_directory_yields_its_top_level_manifests_in_name_order_named_under_the_configured_path()
    {
        Write("b.yml", Web.Replace("web", "b"));
        Write("a.JSON", """{"kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"port":81}]}}""");
        Write("c.yaml", Web.Replace("web", "c"));
        Write(".hidden.yaml", Web);
        Write("notes.txt", "not a manifest");
        Directory.CreateDirectory(Path.Combine(_directory, "sub"));
        File.WriteAllText(Path.Combine(_directory, "sub", "d.yaml"), Web);

        var reads = await new ManifestFiles(_directory).ReadAllAsync(CancellationToken.None);

        Assert.Equal([Path.Join(_directory, "a.JSON"), Path.Join(_directory, "b.yml"), Path.Join(_directory, "c.yaml")],
            reads.Select(r => r.Name));
        Assert.All(reads, r => Assert.Empty(r.Errors));
        Assert.Equal(["a", "b", "c"], reads.Select(r => r.Content!.Services.Single().Metadata.Name));
    }

    [Fact]
    public async Task A_single_file_is_read_whatever_its_extension()
    {
        var path = Write("services.manifest", Web);

        var reads = await new ManifestFiles(path).ReadAllAsync(CancellationToken.None);

        Assert.Equal("default/web", Assert.Single(reads).Content!.Services.Single().Key().ToString());
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_unread_and_the_others_are_read()
    {
        Write("a.yaml", Web);
        var big = Write("big.yaml", "# " + new string('x', 2000) + "\n");

        var reads = await new ManifestFiles(_directory, new ManifestLimits { MaxBytes = 1000 }).ReadAllAsync(CancellationToken.None);

        Assert.Empty(reads[0].Errors);
        Assert.Equal([$"{big}: is 2003 bytes, larger than the 1000 allowed"], reads[1].Errors.Select(e => $"{reads[1].Name}: {e}"));
    }

    [Fact]
    public void A_field_error_keeps_its_path()
    {
        var read = ManifestFiles.Parse("x.yaml", Web.Replace("port: 80", "port: 70000"));

        Assert.Null(read.Content);
        Assert.Equal("spec.ports[0].port: must be between 1 and 65535, got 70000", Assert.Single(read.Errors).ToString());
    }

    [Fact]
    public void A_truncated_file_is_bad_not_empty()
    {
        var read = ManifestFiles.Parse("x.yaml", Web[..Web.IndexOf("  ports", StringComparison.Ordinal)] + "  ports: [");

        Assert.Null(read.Content);
        Assert.NotEmpty(read.Errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n")]
    public void An_empty_file_is_bad(string text)
    {
        var read = ManifestFiles.Parse("x.yaml", text);

        Assert.Null(read.Content);
        Assert.Equal("is empty", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void The_source_annotation_of_exported_items_is_ignored()
    {
        var read = ManifestFiles.Parse("x.json", Manifest.ToJson([new Service
        {
            Metadata =
                new ObjectMeta { Name = "web", Annotations = ValueMap.Empty.With(ConfigItemExtensions.SourceAnnotation, "elsewhere") },
            Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] },
        }], []));

        Assert.Equal("", read.Content!.Services.Single().Source());
    }

    [Fact]
    public async Task A_missing_path_cannot_be_read()
    {
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            new ManifestFiles(Path.Combine(_directory, "gone")).ReadAllAsync(CancellationToken.None));
    }
}
