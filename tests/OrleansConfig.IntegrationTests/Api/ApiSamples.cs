using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OrleansConfig.Sources.Api;

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

    /// <summary>One endpoint of a slice: its address, conditions, and a zone (with the same zone as its hint).</summary>
    public sealed record At(string Ip, bool Ready = true, bool Serving = true, bool Terminating = false, string? Zone = null);

    /// <summary>
    /// An EndpointSlice of <paramref name="service"/> as the EndpointSlice controller makes one (the service-name label,
    /// an http port 8080, each endpoint's pod as its targetRef on node-1).
    /// </summary>
    public static string Slice(string name, string service, string ns, string addressType, params At[] endpoints) => new JsonObject
    {
        ["kind"] = "EndpointSlice",
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                ["kubernetes.io/service-name"] = service,
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
        },
        ["addressType"] = addressType,
        ["endpoints"] = new JsonArray([.. endpoints.Select((e, i) =>
        {
            var endpoint = new JsonObject
            {
                ["addresses"] = new JsonArray(e.Ip),
                ["conditions"] = new JsonObject { ["ready"] = e.Ready, ["serving"] = e.Serving, ["terminating"] = e.Terminating },
                ["nodeName"] = "node-1",
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = ns, ["name"] = $"{service}-{e.Ip}" },
            };
            if (e.Zone is not null)
            {
                endpoint["zone"] = e.Zone;
                endpoint["hints"] = new JsonObject { ["forZones"] = new JsonArray(new JsonObject { ["name"] = e.Zone }) };
            }
            return endpoint;
        })]),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
    }.ToJsonString();

    /// <summary>What the server holds, read as the model (as any manifest is): its Services and its v1 Endpoints, or, with
    /// <paramref name="slices"/>, its EndpointSlices merged per Service.</summary>
    public static Manifest Held(FakeApiServer server, bool slices = false)
    {
        var held = Manifest.Parse(
            $$"""{"kind":"List","apiVersion":"v1","items":[{{string.Join(',', server.Objects.Json("services").Concat(server.Objects.Json("endpoints")))}}]}""");
        if (!slices) return held;
        var merged = EndpointSliceMerge.MergeAll(server.Objects.Json("endpointslices")
            .Select(json => V1ObjectMapper.ToEndpointSlice(KubernetesJson.Deserialize<V1EndpointSlice>(json))));
        return new Manifest(held.Services, [.. merged]);
    }

    // The test project does not copy data files to its output, so they are found next to this source file.
    private static string SourceFile([CallerFilePath] string path = "") => path;
}
