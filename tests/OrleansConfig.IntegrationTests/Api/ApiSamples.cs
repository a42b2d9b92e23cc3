using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>kubectl-made objects (see TestData/README.md) and small JSON builders for the fake API server.</summary>
internal static class ApiSamples
{
    private static readonly string SamplesDirectory = Path.Combine(Path.GetDirectoryName(SourceFile())!, "TestData");

    public static string[] Kubectl => ["kubectl-web.json", "kubectl-api-nodeport.json", "kubectl-db-externalname.json"];

    public static string Read(string name) => File.ReadAllText(Path.Combine(SamplesDirectory, name));

    public static string Service(string name, string ns = "default", int port = 80) => new JsonObject
    {
        ["kind"] = "Service",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["targetPort"] = "http" }),
            ["selector"] = new JsonObject { ["app"] = name },
        },
    }.ToJsonString();

    public static string Endpoints(string name, string ns = "default", params string[] ips) => new JsonObject
    {
        ["kind"] = "Endpoints",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray([.. ips.Select(ip => new JsonObject { ["ip"] = ip, ["nodeName"] = "node-1" })]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
        }),
    }.ToJsonString();

    /// <summary>What the server holds, read as the model (as any manifest is).</summary>
    public static Manifest Held(FakeApiServer server) =>
        Manifest.Parse(
            $$"""{"kind":"List","apiVersion":"v1","items":[{{string.Join(',', server.Objects.Json("services").Concat(server.Objects.Json("endpoints")))}}]}""");

    // The test project does not copy data files to its output, so they are found next to this source file.
    private static string SourceFile([CallerFilePath] string path = "") => path;
}
