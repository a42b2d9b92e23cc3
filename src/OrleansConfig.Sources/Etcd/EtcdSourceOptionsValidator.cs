using Microsoft.Extensions.Options;

namespace OrleansConfig.Sources.Etcd;

/// <summary>Checks <see cref="EtcdSourceOptions"/> at start; each message names its configuration key.</summary>
internal sealed class EtcdSourceOptionsValidator : IValidateOptions<EtcdSourceOptions>
{
    private const string Section = EtcdSourceOptions.SectionName;
    private const int MinResponseBytes = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, EtcdSourceOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Check(EtcdSourceOptions options)
    {
        List<string> errors = [];
        var endpoints = options.EndpointList;
        var schemes = new HashSet<string>(StringComparer.Ordinal);
        if (endpoints.Length == 0) errors.Add($"{Section}:Endpoints: is required (comma-separated http(s) URLs)");
        foreach (var endpoint in endpoints)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) &&
                (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                uri.Host.Length > 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0)
            {
                schemes.Add(uri.Scheme);
            }
            else
            {
                errors.Add($"{Section}:Endpoints: \"{endpoint}\" is not an http(s) URL");
            }
        }
        if (schemes.Count > 1) errors.Add($"{Section}:Endpoints: must all be http or all be https");
        var tls = schemes.Contains(Uri.UriSchemeHttps);

        if (string.IsNullOrWhiteSpace(options.Prefix)) errors.Add($"{Section}:Prefix: must not be empty");
        if (string.IsNullOrWhiteSpace(options.Name)) errors.Add($"{Section}:Name: must not be empty");
        if (options.ResyncPeriod <= TimeSpan.Zero) errors.Add($"{Section}:ResyncPeriod: must be positive, got {options.ResyncPeriod}");
        if (options.MaxResponseBytes < MinResponseBytes)
        {
            errors.Add($"{Section}:MaxResponseBytes: must be at least {MinResponseBytes} (1 MiB), got {options.MaxResponseBytes}");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            errors.Add(string.IsNullOrEmpty(options.Username)
                ? $"{Section}:Username: is required with {Section}:Password"
                : $"{Section}:Password: is required with {Section}:Username");
        }

        if (string.IsNullOrEmpty(options.CertFile) != string.IsNullOrEmpty(options.KeyFile))
        {
            errors.Add(string.IsNullOrEmpty(options.CertFile)
                ? $"{Section}:CertFile: is required with {Section}:KeyFile"
                : $"{Section}:KeyFile: is required with {Section}:CertFile");
        }
        CheckFile(options.CaFile, "CaFile", tls, errors);
        CheckFile(options.CertFile, "CertFile", tls, errors);
        CheckFile(options.KeyFile, "KeyFile", tls, errors);
        return errors;
    }

    private static void CheckFile(string? path, string key, bool tls, List<string> errors)
    {
        if (string.IsNullOrEmpty(path)) return;
        if (!System.IO.File.Exists(path)) errors.Add($"{Section}:{key}: file \"{path}\" does not exist");
        else if (!tls) errors.Add($"{Section}:{key}: needs https endpoints");
    }
}
