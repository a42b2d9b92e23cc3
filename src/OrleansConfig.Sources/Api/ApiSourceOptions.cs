using System.Security.Cryptography;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Api;

namespace OrleansConfig;

/// <summary>Settings of the Kubernetes API source, bound from <c>Sources:Api</c>.</summary>
public sealed class ApiSourceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Sources:Api";

    /// <summary>
    /// The API server's URL (<c>https://10.0.0.1:6443</c>); setting it enables the source. With
    /// <see cref="KubeconfigPath"/> or <see cref="InCluster"/> it overrides the server they name.
    /// </summary>
    public string? Server { get; set; }

    /// <summary>The source's name: the SourceGrain it feeds and the tag its items carry in the union.</summary>
    public string Name { get; set; } = "api";

    /// <summary>A bearer token (e.g. a service account's); overrides the kubeconfig's or the pod's credentials.</summary>
    public string? Token { get; set; }

    /// <summary>PEM file of the CA that signed the server's certificate (default: the kubeconfig's, the pod's, or the system's).</summary>
    public string? CaFile { get; set; }

    /// <summary>A kubeconfig file to take the server, credentials and CA from; setting it enables the source.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The kubeconfig context to use (default: its current context).</summary>
    public string? Context { get; set; }

    /// <summary>Use the pod's service account (in-cluster configuration); setting it enables the source.</summary>
    public bool InCluster { get; set; }

    /// <summary>How often both kinds are listed again and Set, repairing any drift; zero (the default) never.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Comma-separated namespaces (<c>team-a,team-b</c>) to list and watch, each on its own; unset: all namespaces,
    /// cluster-wide.
    /// </summary>
    public string? Namespaces { get; set; }

    /// <summary>
    /// A Kubernetes label selector (<c>app=web,tier in (front,back),!legacy</c>) the server applies to Services and
    /// their Endpoints (the Endpoints controller copies a Service's labels onto its Endpoints); unset: every Service.
    /// </summary>
    public string? LabelSelector { get; set; }

    /// <summary>
    /// A Kubernetes field selector over <c>metadata.name</c> and <c>metadata.namespace</c>
    /// (<c>metadata.namespace!=kube-system</c>), applied by the server to Services and their Endpoints; unset: every Service.
    /// </summary>
    public string? FieldSelector { get; set; }

    /// <summary>
    /// Where a Service's endpoints are read from: <c>EndpointSlices</c> (the default; <c>discovery.k8s.io/v1</c>, merged per
    /// Service into its Endpoints, with the endpoint conditions) or <c>Endpoints</c> (core v1 Endpoints, deprecated
    /// since Kubernetes 1.33).
    /// </summary>
    public string EndpointsFrom { get; set; } = EndpointSlicesValue;

    internal const string EndpointSlicesValue = "EndpointSlices";
    internal const string EndpointsValue = "Endpoints";

    // Not bound from configuration: tuned by tests.
    internal TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);
    internal TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The server ends each watch after this long (its <c>timeoutSeconds</c>); the source then watches again
    /// from where it was.</summary>
    internal TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Items per list request; the pages of one list are read at one resourceVersion.</summary>
    internal int ListPageSize { get; set; } = 500;

    /// <summary>The namespaces to follow, each once, in order; empty for all namespaces.</summary>
    internal IReadOnlyList<string> NamespaceList =>
        string.IsNullOrWhiteSpace(Namespaces) || ApiSelectors.CheckNamespaces(Namespaces, out var names) is not null ? [] : names;

    /// <summary>The label selector to send, or null for none.</summary>
    internal string? LabelSelectorOrNull => string.IsNullOrWhiteSpace(LabelSelector) ? null : LabelSelector.Trim();

    /// <summary>The field selector to send, or null for none.</summary>
    internal string? FieldSelectorOrNull => string.IsNullOrWhiteSpace(FieldSelector) ? null : FieldSelector.Trim();

    /// <summary>True when endpoints are read from EndpointSlices (any value but <c>Endpoints</c>; the validator refuses others).</summary>
    internal bool ReadsSlices => !string.Equals(EndpointsFrom?.Trim(), EndpointsValue, StringComparison.OrdinalIgnoreCase);

    /// <summary>Set by any of the keys that enable the source.</summary>
    internal bool Enabled => !string.IsNullOrWhiteSpace(Server) || !string.IsNullOrWhiteSpace(KubeconfigPath) || InCluster;
}

/// <summary>Checks <see cref="ApiSourceOptions"/> at start; each message names its configuration key.</summary>
internal sealed class ApiSourceOptionsValidator : IValidateOptions<ApiSourceOptions>
{
    private const string Section = ApiSourceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ApiSourceOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Check(ApiSourceOptions options)
    {
        List<string> errors = [];
        var kubeconfig = !string.IsNullOrWhiteSpace(options.KubeconfigPath);
        var https = false;
        if (!string.IsNullOrWhiteSpace(options.Server))
        {
            var server = options.Server.Trim();
            if (Uri.TryCreate(server, UriKind.Absolute, out var uri) &&
                (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                uri.Host.Length > 0 && uri.Query.Length == 0)
            {
                https = uri.Scheme == Uri.UriSchemeHttps;
            }
            else
            {
                errors.Add($"{Section}:Server: \"{server}\" is not an http(s) URL");
            }
        }
        else if (!kubeconfig && !options.InCluster)
        {
            errors.Add($"{Section}:Server: is required unless {Section}:KubeconfigPath or {Section}:InCluster is set");
        }

        if (SourceName.Check(options.Name) is { } nameError) errors.Add($"{Section}:Name: {nameError}");
        if (options.ResyncPeriod < TimeSpan.Zero) errors.Add($"{Section}:ResyncPeriod: must not be negative (zero: never), got {options.ResyncPeriod}");

        if (!string.IsNullOrWhiteSpace(options.Namespaces) && ApiSelectors.CheckNamespaces(options.Namespaces, out _) is { } nsError)
        {
            errors.Add($"{Section}:Namespaces: {nsError}");
        }
        if (options.LabelSelectorOrNull is { } labels && ApiSelectors.CheckLabelSelector(labels) is { } labelError)
        {
            errors.Add($"{Section}:LabelSelector: {labelError}");
        }
        if (options.FieldSelectorOrNull is { } fields && ApiSelectors.CheckFieldSelector(fields) is { } fieldError)
        {
            errors.Add($"{Section}:FieldSelector: {fieldError}");
        }

        if (options.EndpointsFrom?.Trim() is not { } from ||
            !(from.Equals(ApiSourceOptions.EndpointSlicesValue, StringComparison.OrdinalIgnoreCase) ||
              from.Equals(ApiSourceOptions.EndpointsValue, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{Section}:EndpointsFrom: must be {ApiSourceOptions.EndpointSlicesValue} or {ApiSourceOptions.EndpointsValue}, " +
                $"got \"{options.EndpointsFrom}\"");
        }

        if (!string.IsNullOrEmpty(options.CaFile))
        {
            if (!System.IO.File.Exists(options.CaFile)) errors.Add($"{Section}:CaFile: file \"{options.CaFile}\" does not exist");
            else if (!string.IsNullOrWhiteSpace(options.Server) && !https) errors.Add($"{Section}:CaFile: needs an https {Section}:Server");
            else if (TryLoadCa(options.CaFile) is { } caError) errors.Add($"{Section}:CaFile: {caError}");
        }

        if (kubeconfig && options.InCluster)
        {
            errors.Add($"{Section}:KubeconfigPath: cannot be used with {Section}:InCluster");
        }
        else if (kubeconfig)
        {
            if (!System.IO.File.Exists(options.KubeconfigPath)) errors.Add($"{Section}:KubeconfigPath: file \"{options.KubeconfigPath}\" does not exist");
            else if (TryBuild(options) is { } error) errors.Add($"{Section}:KubeconfigPath: {error}");
        }
        else if (options.InCluster && !KubernetesClientConfiguration.IsInCluster())
        {
            errors.Add($"{Section}:InCluster: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT or the service account token is missing)");
        }
        if (!string.IsNullOrWhiteSpace(options.Context) && !kubeconfig)
        {
            errors.Add($"{Section}:Context: needs {Section}:KubeconfigPath");
        }
        return errors;
    }

    private static string? TryLoadCa(string path)
    {
        try
        {
            ApiClientConfiguration.LoadCa(path);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or IOException)
        {
            return $"not a PEM certificate file: {ex.Message}";
        }
    }

    private static string? TryBuild(ApiSourceOptions options)
    {
        try
        {
            // Only the kubeconfig's own settings: the others are checked under their own keys.
            var config = ApiClientConfiguration.Build(new ApiSourceOptions { KubeconfigPath = options.KubeconfigPath, Context = options.Context });
            return string.IsNullOrEmpty(config.Host) && string.IsNullOrWhiteSpace(options.Server) ? "names no server" : null;
        }
        catch (Exception ex) when (ex is KubeConfigException or IOException or CryptographicException or InvalidDataException or FormatException or YamlDotNet.Core.YamlException)
        {
            return ex.Message;
        }
    }
}
