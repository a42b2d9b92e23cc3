using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary>The kinds the CLI shows: the union's two, and the EndpointSlices sources hold (<c>get</c> only).</summary>
internal enum ResourceKind
{
    Services,
    Endpoints,
    EndpointSlices,
}

/// <summary>
/// kubectl's way of naming kinds: <c>services</c>, <c>service</c>, <c>svc</c>, <c>endpoints</c>, <c>endpoint</c>, <c>ep</c>,
/// <c>endpointslices</c>, <c>endpointslice</c>, <c>eps</c>, several of them comma-separated (<c>svc,ep</c>), in the order given.
/// </summary>
internal static class ResourceKinds
{
    /// <summary>The kinds <c>watch</c> takes: the union's.</summary>
    public const string Valid = "services (svc), endpoints (ep)";

    /// <summary>The kinds <c>get</c> takes: the union's, and the slices sources hold.</summary>
    public const string ValidWithSlices = "services (svc), endpoints (ep), endpointslices (eps)";

    private static readonly Dictionary<string, ResourceKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["services"] = ResourceKind.Services,
        ["service"] = ResourceKind.Services,
        ["svc"] = ResourceKind.Services,
        ["endpoints"] = ResourceKind.Endpoints,
        ["endpoint"] = ResourceKind.Endpoints,
        ["ep"] = ResourceKind.Endpoints,
        ["endpointslices"] = ResourceKind.EndpointSlices,
        ["endpointslice"] = ResourceKind.EndpointSlices,
        ["eps"] = ResourceKind.EndpointSlices,
    };

    /// <summary>The kinds <paramref name="text"/> names, each once; or null and the reason. Without
    /// <paramref name="slices"/>, EndpointSlices are an unknown kind (the union holds none to watch).</summary>
    public static IReadOnlyList<ResourceKind>? Parse(string text, out string? error, bool slices = false)
    {
        List<ResourceKind> kinds = [];
        var valid = slices ? ValidWithSlices : Valid;
        var names = slices ? Names : Names.Where(n => n.Value != ResourceKind.EndpointSlices).ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(','))
        {
            var name = part.Trim();
            if (!names.TryGetValue(name, out var kind))
            {
                var guess = DidYouMean.Suggest(name, names.Keys);
                error = name.Length == 0
                    ? $"\"{text}\" names an empty kind; valid kinds: {valid}"
                    : $"unknown kind \"{name}\"{(guess is null ? "" : $" (did you mean \"{guess}\"?)")}; valid kinds: {valid}";
                return null;
            }
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        error = null;
        return kinds;
    }

    /// <summary>The <c>KIND[,KIND]</c> argument of <c>get</c> and <c>watch</c>, checked as it is parsed.</summary>
    public static Argument<string> Argument(bool slices = false) => new("KIND[,KIND]")
    {
        Description = $"What to show: {(slices ? ValidWithSlices : Valid)}, or several comma-separated (svc,ep)",
        Arity = ArgumentArity.ExactlyOne,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string>() is { } text && Parse(text, out var error, slices) is null) result.AddError(error!);
            },
        },
    };

    /// <summary>Makes <paramref name="command"/> refuse a command line without a kind (an optional argument's own check
    /// does not run then).</summary>
    public static void RequireKind(Command command, Argument<string> kind, bool slices = false) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(kind) is null)
            {
                result.AddError($"you must specify the kind of resource to {command.Name}; valid kinds: {(slices ? ValidWithSlices : Valid)}");
            }
        });

    /// <summary>kubectl's resource name: <c>services</c>, <c>endpoints</c>, <c>endpointslices</c>.</summary>
    public static string Plural(this ResourceKind kind) => kind switch
    {
        ResourceKind.Services => "services",
        ResourceKind.Endpoints => "endpoints",
        _ => "endpointslices",
    };

    /// <summary>kubectl's <c>-o name</c> prefix: <c>service</c>, <c>endpoints</c>, <c>endpointslice</c>.</summary>
    public static string Singular(this ResourceKind kind) => kind switch
    {
        ResourceKind.Services => "service",
        ResourceKind.Endpoints => "endpoints",
        _ => "endpointslice",
    };
}
