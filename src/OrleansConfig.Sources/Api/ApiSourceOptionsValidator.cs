using System.Security.Cryptography;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;

namespace OrleansConfig.Sources.Api;

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
        if (options.ResyncPeriod < TimeSpan.Zero)
        {
            errors.Add($"{Section}:ResyncPeriod: must not be negative (zero: never), got {options.ResyncPeriod}");
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
            if (!System.IO.File.Exists(options.KubeconfigPath))
            {
                errors.Add($"{Section}:KubeconfigPath: file \"{options.KubeconfigPath}\" does not exist");
            }
            else if (TryBuild(options) is { } error) errors.Add($"{Section}:KubeconfigPath: {error}");
        }
        else if (options.InCluster && !KubernetesClientConfiguration.IsInCluster())
        {
            errors.Add(
                $"{Section}:InCluster: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT or the " +
                $"service account token is missing)");
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
            var config =
                ApiClientConfiguration.Build(new ApiSourceOptions { KubeconfigPath = options.KubeconfigPath, Context = options.Context });
            return string.IsNullOrEmpty(config.Host) && string.IsNullOrWhiteSpace(options.Server) ? "names no server" : null;
        }
        catch (Exception ex) when (
            ex is KubeConfigException or IOException or CryptographicException or InvalidDataException or FormatException
                or YamlDotNet.Core.YamlException)
        {
            return ex.Message;
        }
    }
}
