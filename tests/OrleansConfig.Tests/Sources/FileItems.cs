using OrleansConfig.Sources.File;

namespace OrleansConfig.Tests.Sources;

/// <summary>Builders for file-source tests: files as they read now, and the keys a plan sends.</summary>
internal static class FileItems
{
    public static Service Service(string name, string ns = "default", int port = 80) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port }] },
    };

    public static Endpoints Endpoints(string name, string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Subsets = [
            new EndpointSubset { Addresses = [new EndpointAddress { Ip = "10.0.0.1" }], Ports = [new EndpointPort { Port = 8080 }] }],
    };

    /// <summary>A file that parses, holding a Service and Endpoints for each name.</summary>
    public static FileRead Good(string file, params string[] names) =>
        FileRead.Good(file, new FileContent([.. names.Select(n => Service(n))], [.. names.Select(n => Endpoints(n))]));

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
