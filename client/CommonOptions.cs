using System.CommandLine;
using OrleansConfig.Cli.Connection;

namespace OrleansConfig.Cli;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public const string GatewayVariable = "ORLEANS_CONFIG_GATEWAY";

    public static readonly Option<string[]> Gateway = new("--gateway", "-g")
    {
        Description = $"A gateway HOST:PORT to connect to; repeat for more (default: ${GatewayVariable}, else 127.0.0.1:30000)",
        HelpName = "HOST:PORT",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        Validators = { result => CheckGateways(result) },
    };

    public static readonly Option<string> Redis = new("--redis")
    {
        Description = "Find the gateways in the silos' Redis clustering instead (a StackExchange.Redis connection string; default: $Orleans__Clustering__ConnectionString when $Orleans__Clustering__ProviderType is Redis)",
        HelpName = "CONNSTR",
        Recursive = true,
        Validators = { result => NotBlank(result, "--redis") },
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "The cluster's id, as the silos have it (default: $Orleans__ClusterId, else orleans-config)",
        HelpName = "ID",
        Recursive = true,
        Validators = { result => NotBlank(result, "--cluster-id") },
    };

    public static readonly Option<string> ServiceId = new("--service-id")
    {
        Description = "The service's id, as the silos have it (default: $Orleans__ServiceId, else orleans-config)",
        HelpName = "ID",
        Recursive = true,
        Validators = { result => NotBlank(result, "--service-id") },
    };

    /// <summary>The connection options of a parsed command line.</summary>
    public static ConnectionSettings Connection(System.CommandLine.ParseResult parsed) => new(
        parsed.GetValue(Gateway) ?? [],
        parsed.GetValue(Redis),
        parsed.GetValue(ClusterId),
        parsed.GetValue(ServiceId));

    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output format",
        DefaultValueFactory = _ => "table",
        HelpName = "table|json",
        Recursive = true,
    };

    public static Option<string> Source(string description, bool required) => new("--source", "-s")
    {
        Description = description,
        Required = required,
        HelpName = "NAME",
        Recursive = true,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string>() is { } name && SourceName.Check(name) is { } error)
                {
                    result.AddError($"--source: {error}");
                }
            },
        },
    };

    public static Option<string> WithFormats(this Option<string> option)
    {
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    private static void NotBlank(System.CommandLine.Parsing.OptionResult result, string name)
    {
        if (result.GetValueOrDefault<string>() is { } value && string.IsNullOrWhiteSpace(value)) result.AddError($"{name}: must not be empty");
    }

    private static void CheckGateways(System.CommandLine.Parsing.OptionResult result)
    {
        foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
        {
            if (!GatewayAddress.TryParse(value, out _, out var error)) result.AddError($"--gateway: {error}");
        }
    }
}
