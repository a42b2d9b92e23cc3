using OrleansConfig.Sources.File;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Sources.FileItems;

namespace OrleansConfig.Tests.Sources;

/// <summary>Unknown fields in the file source's files: a warning on the source by default, a refused file when strict.</summary>
public sealed class FileFieldValidationTests
{
    private const string Typo = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIp: 10.96.0.10
          ports:
          - port: 80
        """;

    [Fact]
    public void By_default_a_file_with_unknown_fields_is_served_with_a_warning_naming_the_file_and_the_field()
    {
        var read = ManifestFiles.Parse("d/web.yaml", Typo);
        var plan = new FileSourceState().Plan([read, Good("d/db.yaml", "db")]);

        Assert.Equal(["unknown field \"spec.clusterIp\""], read.Warnings);
        Assert.Empty(plan.Errors);
        Assert.Equal(["default/db", "default/web"], ServiceKeys(plan));
        Assert.Equal(["d/web.yaml: unknown field \"spec.clusterIp\""], plan.Warnings);
        Assert.Equal("d/web.yaml: unknown field \"spec.clusterIp\"", plan.WarningSummary());
    }

    [Fact]
    public void Strict_refuses_the_file_and_keeps_its_last_good_content()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/web.yaml", "web"));

        var plan =
            state.Plan([ManifestFiles.Parse("d/web.yaml", Typo.Replace("port: 80", "port: 81"), fieldValidation: FieldValidation.Strict)]);

        Assert.Equal(["d/web.yaml: spec.clusterIp: unknown field"], plan.Errors);
        Assert.Empty(plan.Warnings);
        Assert.Equal(80, plan.Update!.Services!.Services.Single().Spec.Ports[0].Port);
    }

    [Fact]
    public void Ignore_serves_the_file_without_a_warning()
    {
        var plan = new FileSourceState().Plan([ManifestFiles.Parse("d/web.yaml", Typo, fieldValidation: FieldValidation.Ignore)]);

        Assert.Empty(plan.Warnings);
        Assert.Null(plan.WarningSummary());
        Assert.Equal(["default/web"], ServiceKeys(plan));
    }

    [Fact]
    public void Warnings_of_a_refused_file_are_not_shown_and_many_warnings_are_summed_up()
    {
        var typos = Enumerable.Range(1, 7).Select(i => ManifestFiles.Parse($"d/{i}.yaml", Typo.Replace("web", $"web{i}"))).ToList();
        var duplicate = ManifestFiles.Parse("d/dup.yaml", Typo + "\n---\n" + Typo);

        var plan = new FileSourceState().Plan([.. typos, duplicate]);

        Assert.Equal(7, plan.Warnings.Count);
        Assert.Equal(
            "d/1.yaml: unknown field \"spec.clusterIp\"; d/2.yaml: unknown field \"spec.clusterIp\"; d/3.yaml: unknown field " +
                "\"spec.clusterIp\"; "
            + "d/4.yaml: unknown field \"spec.clusterIp\"; d/5.yaml: unknown field \"spec.clusterIp\"; and 2 more",
            plan.WarningSummary());
    }
}
