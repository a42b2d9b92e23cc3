using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary>The two kinds the CLI shows.</summary>
internal enum ResourceKind
{
    Services,
    Endpoints,
}

/// <summary>
/// kubectl's way of naming kinds: <c>services</c>, <c>service</c>, <c>svc</c>, <c>endpoints</c>, <c>endpoint</c>, <c>ep</c>,
/// several of them comma-separated (<c>svc,ep</c>), in the order given.
/// </summary>
internal static class ResourceKinds
{
    public const string Valid = "services (svc), endpoints (ep)";

    private static readonly Dictionary<string, ResourceKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["services"] = ResourceKind.Services,
        ["service"] = ResourceKind.Services,
        ["svc"] = ResourceKind.Services,
        ["endpoints"] = ResourceKind.Endpoints,
        ["endpoint"] = ResourceKind.Endpoints,
        ["ep"] = ResourceKind.Endpoints,
    };

    /// <summary>The kinds <paramref name="text"/> names, each once; or null and the reason.</summary>
    public static IReadOnlyList<ResourceKind>? Parse(string text, out string? error)
    {
        List<ResourceKind> kinds = [];
        foreach (var part in text.Split(','))
        {
            var name = part.Trim();
            if (!Names.TryGetValue(name, out var kind))
            {
                var guess = DidYouMean.Suggest(name, Names.Keys);
                error = name.Length == 0
                    ? $"\"{text}\" names an empty kind; valid kinds: {Valid}"
                    : $"unknown kind \"{name}\"{(guess is null ? "" : $" (did you mean \"{guess}\"?)")}; valid kinds: {Valid}";
                return null;
            }
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        error = null;
        return kinds;
    }

    /// <summary>The <c>KIND[,KIND]</c> argument of <c>get</c> and <c>watch</c>, checked as it is parsed.</summary>
    public static Argument<string> Argument() => new("KIND[,KIND]")
    {
        Description = $"What to show: {Valid}, or both comma-separated (svc,ep)",
        Arity = ArgumentArity.ExactlyOne,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string>() is { } text && Parse(text, out var error) is null) result.AddError(error!);
            },
        },
    };

    /// <summary>Makes <paramref name="command"/> refuse a command line without a kind (an optional argument's own check
    /// does not run then).</summary>
    public static void RequireKind(Command command, Argument<string> kind) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(kind) is null)
            {
                result.AddError($"you must specify the kind of resource to {command.Name}; valid kinds: {Valid}");
            }
        });

    /// <summary>kubectl's resource name: <c>services</c>, <c>endpoints</c>.</summary>
    public static string Plural(this ResourceKind kind) => kind == ResourceKind.Services ? "services" : "endpoints";

    /// <summary>kubectl's <c>-o name</c> prefix: <c>service</c>, <c>endpoints</c>.</summary>
    public static string Singular(this ResourceKind kind) => kind == ResourceKind.Services ? "service" : "endpoints";
}
