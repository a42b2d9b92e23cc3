using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>get KIND[,KIND] [NAME...] [-n NS | -A] [--source NAME] [-o table|wide|json|yaml|name]</c>: the union, or one source's
/// part of it; every namespace unless <c>-n</c> (or, for NAMEs, namespace <c>default</c>, as kubectl looks them up).
/// </summary>
internal static class GetCommand
{
    public static Command Build()
    {
        var kind = ResourceKinds.Argument(slices: true);
        var names = new Argument<string[]>("NAME")
        {
            Description =
                "Only the items of this name (in --namespace, else in namespace default); one that is missing is reported as not found " +
                "(exit 1)",
            Arity = ArgumentArity.ZeroOrMore,
            Validators =
            {
                result =>
                {
                    foreach (var name in result.GetValueOrDefault<string[]>() ?? [])
                    {
                        if (name.Contains('/')) result.AddError($"NAME \"{name}\" has a '/'; give the namespace with -n NAMESPACE");
                        else if (name.Length == 0) result.AddError("NAME must not be empty");
                    }
                },
            },
        };
        var source = CommonOptions.Source("Only this source's items", required: false);
        var output = CommonOptions.Output().WithFormats("table", "wide", "json", "yaml", "name");
        var @namespace = CommonOptions.Namespace("Only this namespace (default: every namespace; for NAMEs, namespace default)");
        var all = CommonOptions.AllNamespaces();
        var get = new Command("get", "Show the Services and/or Endpoints the cluster serves, or the EndpointSlices sources hold")
        {
            kind, names, source, output, @namespace, all,
        };
        ResourceKinds.RequireKind(get, kind, slices: true);
        get.Validators.Add(result =>
        {
            if (result.GetValue(all) && (result.GetValue(names) ?? []).Length > 0)
            {
                result.AddError("a resource cannot be retrieved by name across all namespaces");
            }
        });
        get.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, ct) =>
        {
            var query = new GetQuery(
                ResourceKinds.Parse(parsed.GetRequiredValue(kind), out var _, slices: true)!,
                parsed.GetValue(names) ?? [],
                parsed.GetValue(all) ? null : parsed.GetValue(@namespace),
                parsed.GetValue(source));
            var sourceName = query.Source;
            var (services, endpoints) = sourceName is null
                ? await Union(connection.Client)
                : await Source(connection.Client, sourceName);
            var slices = query.Kinds.Contains(ResourceKind.EndpointSlices) ? await Slices(connection.Client, sourceName) : [];
            var result = query.Select(services, endpoints, slices);
            Print(result, query, parsed.GetValue(output) ?? "table");
            foreach (var missing in result.Missing) Console.Error.WriteLine(missing);
            return result.Missing.Count == 0 ? ExitCodes.Ok : ExitCodes.Rejected;
        }));
        return get;
    }

    private static async Task<(IReadOnlyList<Service>, IReadOnlyList<Endpoints>)> Union(IGrainFactory grains)
    {
        var snapshot = await grains.GetAggregator().ReadSnapshotAsync();
        return (snapshot.Services, snapshot.Endpoints);
    }

    private static async Task<(IReadOnlyList<Service>, IReadOnlyList<Endpoints>)> Source(IGrainFactory grains, string name)
    {
        var snapshot = await grains.GetSource(name).GetSnapshot();
        return (snapshot.Services, snapshot.Endpoints);
    }

    /// <summary>
    /// The union holds no slices (only the Endpoints merged from them): they are each source's own, so without --source
    /// every registered source is asked.
    /// </summary>
    private static async Task<IReadOnlyList<EndpointSlice>> Slices(IGrainFactory grains, string? source)
    {
        var names = source is null ? await grains.GetAggregator().GetSources() : [source];
        var snapshots = await Task.WhenAll(names.Select(name => grains.GetSource(name).GetSnapshot()));
        return [.. snapshots.SelectMany(s => s.EndpointSlices)];
    }

    private static void Print(GetResult result, GetQuery query, string format)
    {
        var stdout = Console.Out;
        switch (format)
        {
            case "json":
                stdout.WriteLine(Manifest.ToJson(result.Services, result.Endpoints, result.EndpointSlices, indented: true));
                return;
            case "yaml":
                stdout.Write(Yaml.FromJson(Manifest.ToJson(result.Services, result.Endpoints, result.EndpointSlices)));
                return;
            case "name":
                foreach (var kind in query.Kinds)
                {
                    IEnumerable<IConfigItem> items = kind switch
                    {
                        ResourceKind.Services => result.Services,
                        ResourceKind.Endpoints => result.Endpoints,
                        _ => result.EndpointSlices,
                    };
                    foreach (var item in items) stdout.WriteLine(Render.Name(kind.Singular(), item));
                }
                return;
        }

        var wide = format == "wide";
        var several = query.Kinds.Count > 1;
        List<string> tables = [];
        foreach (var kind in query.Kinds)
        {
            if (kind == ResourceKind.Services && result.Services.Count > 0)
            {
                tables.Add(Render.ServicesTable(result.Services, wide, several));
            }
            if (kind == ResourceKind.Endpoints && result.Endpoints.Count > 0)
            {
                tables.Add(Render.EndpointsTable(result.Endpoints, wide, several));
            }
            if (kind == ResourceKind.EndpointSlices && result.EndpointSlices.Count > 0)
            {
                tables.Add(Render.EndpointSlicesTable(result.EndpointSlices, several));
            }
        }
        if (tables.Count > 0) stdout.Write(string.Join("\n", tables));
        else if (query.Names.Count == 0) Console.Error.WriteLine(query.NothingFound());
    }
}

/// <summary>What <c>get</c> was asked for, and the union (or source) items that answer it.</summary>
internal sealed record GetQuery(IReadOnlyList<ResourceKind> Kinds, IReadOnlyList<string> Names, string? Namespace, string? Source)
{
    /// <summary>Where NAMEs are looked up: <c>-n</c>, else namespace <c>default</c> (kubectl's rule); a list without
    /// NAMEs spans every namespace.</summary>
    public string? EffectiveNamespace => Namespace ?? (Names.Count > 0 ? ObjectMeta.DefaultNamespace : null);

    public GetResult Select(IReadOnlyList<Service> services, IReadOnlyList<Endpoints> endpoints, IReadOnlyList<EndpointSlice>? slices = null)
    {
        List<string> missing = [];
        var selectedServices = Kinds.Contains(ResourceKind.Services) ? Pick(services, ResourceKind.Services, missing) : [];
        var selectedEndpoints = Kinds.Contains(ResourceKind.Endpoints) ? Pick(endpoints, ResourceKind.Endpoints, missing) : [];
        var selectedSlices = Kinds.Contains(ResourceKind.EndpointSlices) ? Pick(slices ?? [], ResourceKind.EndpointSlices, missing) : [];
        // Missing names in the order asked: kind by kind as given, then name by name.
        var ordered = Kinds.SelectMany(k => Names.Select(n => NotFound(k, n))).Where(missing.Contains).ToList();
        return new GetResult(selectedServices, selectedEndpoints, ordered) { EndpointSlices = selectedSlices };
    }

    /// <summary>
    /// One line per NAME that matched nothing: the CLI's form of kubectl's <c>Error from server (NotFound): services "web" not found</c>,
    /// prefixed like its <c>forbidden: </c> refusals.
    /// </summary>
    public string NotFound(ResourceKind kind, string name) =>
        $"not found: {kind.Plural()} \"{name}\" in namespace {EffectiveNamespace}{(Source is null ? "" : $" of source {Source}")}";

    public string NothingFound()
    {
        var what = Kinds.Count == 1 ? Kinds[0].Plural() : "resources";
        return Namespace is null ? $"No {what} found." : $"No {what} found in namespace {Namespace}.";
    }

    private IReadOnlyList<T> Pick<T>(IReadOnlyList<T> items, ResourceKind kind, List<string> missing) where T : IConfigItem
    {
        var ns = EffectiveNamespace;
        var picked =
            items.Where(i => (ns is null || i.Metadata.Namespace == ns) && (Names.Count == 0 || Names.Contains(i.Metadata.Name))).ToList();
        foreach (var name in Names)
        {
            if (!picked.Any(i => i.Metadata.Name == name)) missing.Add(NotFound(kind, name));
        }
        return Render.Sorted(picked);
    }
}

internal sealed record GetResult(IReadOnlyList<Service> Services, IReadOnlyList<Endpoints> Endpoints, IReadOnlyList<string> Missing)
{
    /// <summary>The sources' EndpointSlices asked for (<c>get endpointslices</c>).</summary>
    public IReadOnlyList<EndpointSlice> EndpointSlices { get; init; } = [];
}
