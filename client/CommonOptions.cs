using System.CommandLine;
using OrleansConfig.Cli.Connection;
using OrleansConfig.Client;
using OrleansConfig.Validation;

namespace OrleansConfig.Cli;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public const string GatewayVariable = ClientDefaults.GatewayVariable;

    public static readonly Option<string[]> Gateway = new("--gateway", "-g")
    {
        Description =
            $"A gateway HOST:PORT to connect to; repeat for more (default: ${GatewayVariable}, else " +
            $"{OrleansConfigClientOptions.DefaultGateway})",
        HelpName = "HOST:PORT",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        Validators = { result => CheckGateways(result) },
    };

    public static readonly Option<string> Redis = new("--redis")
    {
        Description =
            "Find the gateways in the silos' Redis clustering instead (a StackExchange.Redis connection string; default: " +
            "$Orleans__Clustering__ConnectionString when $Orleans__Clustering__ProviderType is Redis)",
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

    public const string TlsCertVariable = "ORLEANS_CONFIG_TLS_CERT";
    public const string TlsKeyVariable = "ORLEANS_CONFIG_TLS_KEY";
    public const string TlsCaVariable = "ORLEANS_CONFIG_TLS_CA";

    public static readonly Option<string> TlsCert =
        TlsFile("--tls-cert", TlsCertVariable,
        "This client's certificate (PEM) for a cluster with mutual TLS; its common name is the identity the cluster authorizes");
    public static readonly Option<string> TlsKey = TlsFile("--tls-key", TlsKeyVariable, "The private key (PEM) of --tls-cert");
    public static readonly Option<string> TlsCa =
        TlsFile("--tls-ca", TlsCaVariable, "The cluster's CA bundle (PEM) that the silos' certificates chain to");

    /// <summary>The connection options of a parsed command line.</summary>
    public static ConnectionSettings Connection(System.CommandLine.ParseResult parsed) => new(
        parsed.GetValue(Gateway) ?? [],
        parsed.GetValue(Redis),
        parsed.GetValue(ClusterId),
        parsed.GetValue(ServiceId))
    {
        Tls = new(
            parsed.GetValue(TlsCert) ?? Environment.GetEnvironmentVariable(TlsCertVariable),
            parsed.GetValue(TlsKey) ?? Environment.GetEnvironmentVariable(TlsKeyVariable),
            parsed.GetValue(TlsCa) ?? Environment.GetEnvironmentVariable(TlsCaVariable))
        {
            CertificateSetting =
                parsed.GetValue(TlsCert) is null && Environment.GetEnvironmentVariable(TlsCertVariable) is not null ? TlsCertVariable
                : "--tls-cert",
            KeySetting =
                parsed.GetValue(TlsKey) is null && Environment.GetEnvironmentVariable(TlsKeyVariable) is not null ? TlsKeyVariable
                : "--tls-key",
            CaSetting =
                parsed.GetValue(TlsCa) is null && Environment.GetEnvironmentVariable(TlsCaVariable) is not null ? TlsCaVariable
                : "--tls-ca",
        },
    };

    private static Option<string> TlsFile(string name, string variable, string description) => new(name)
    {
        Description = $"{description} (default: ${variable})",
        HelpName = "FILE",
        Recursive = true,
        Validators = { result => NotBlank(result, name) },
    };

    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output format",
        DefaultValueFactory = _ => "table",
        HelpName = "table|json",
        Recursive = true,
    };

    /// <summary><c>-n NS</c>: only this namespace (kubectl's flag; without it <c>get</c> and <c>watch</c> show every namespace).</summary>
    public static Option<string> Namespace(string description) => new("--namespace", "-n")
    {
        Description = description,
        HelpName = "NS",
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string>() is { } ns && NameRules.Dns1123Label(ns) is { } error)
                {
                    result.AddError($"--namespace: {error}");
                }
            },
        },
    };

    /// <summary><c>-A</c>: every namespace, what <c>get</c> and <c>watch</c> show anyway; it overrides <c>-n</c>, as in kubectl.</summary>
    public static Option<bool> AllNamespaces() => new("--all-namespaces", "-A")
    {
        Description = "Every namespace (the default; overrides --namespace, as in kubectl)",
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

    public static Option<string> WithFormats(this Option<string> option, params string[] formats)
    {
        if (formats.Length == 0) formats = ["table", "json"];
        option.HelpName = string.Join("|", formats);
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    private static void NotBlank(System.CommandLine.Parsing.OptionResult result, string name)
    {
        if (result.GetValueOrDefault<string>() is { } value && string.IsNullOrWhiteSpace(value))
        {
            result.AddError($"{name}: must not be empty");
        }
    }

    private static void CheckGateways(System.CommandLine.Parsing.OptionResult result)
    {
        foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
        {
            if (!GatewayAddress.TryParse(value, out _, out var error)) result.AddError($"--gateway: {error}");
        }
    }
}
