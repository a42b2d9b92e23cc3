using OrleansConfig.Sources.File;

namespace OrleansConfig.Tests.Sources;

/// <summary>
/// Builders for file-source tests: files as they read now, and the keys a plan sends; items come from <see cref="Items"/>.
/// </summary>
internal static class FileItems
{
    /// <summary>A file that parses, holding a Service and Endpoints for each name.</summary>
    public static FileRead Good(string file, params string[] names) =>
        FileRead.Good(file, new FileContent(
            [.. names.Select(n => Items.Service(n))], [.. names.Select(n => Items.Endpoints(n, "default", "10.0.0.1"))]));

    public static FileRead Bad(string file, string path = "spec.ports[0].port",
        string message = "must be between 1 and 65535, got 70000") =>
        FileRead.Bad(file, [new FieldError(path, message)]);

    public static string[] ServiceKeys(FileSourcePlan plan) =>
        [.. plan.Update!.Services!.Services.Select(s => s.Key().ToString()).Order(StringComparer.Ordinal)];

    public static string[] EndpointsKeys(FileSourcePlan plan) =>
        [.. plan.Update!.Endpoints!.Endpoints.Select(e => e.Key().ToString()).Order(StringComparer.Ordinal)];

    /// <summary>Plans and commits, as the source does when the grain accepts the update.</summary>
    public static FileSourcePlan Accept(this FileSourceState state, params FileRead[] files)
    {
        var plan = state.Plan(files);
        state.Commit(plan);
        return plan;
    }
}
