using Microsoft.Extensions.Options;

namespace OrleansConfig;

/// <summary>Settings of the etcd source, bound from <c>Sources:Etcd</c>.</summary>
public sealed class EtcdSourceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Sources:Etcd";

    /// <summary>Comma-separated etcd client URLs (<c>http://10.0.0.1:2379,http://10.0.0.2:2379</c>); setting it enables
    /// the source.</summary>
    public string? Endpoints { get; set; }

    /// <summary>Services live at <c>{Prefix}/specs/{namespace}/{name}</c>, Endpoints at
    /// <c>{Prefix}/endpoints/{namespace}/{name}</c>, EndpointSlices at <c>{Prefix}/endpointslices/{namespace}/{name}</c>.</summary>
    public string Prefix { get; set; } = "/registry/services";

    /// <summary>The source's name: the SourceGrain it feeds and the tag its items carry in the union.</summary>
    public string Name { get; set; } = "etcd";

    /// <summary>How often the whole prefix is listed again and Set, repairing any drift.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What to do with fields Kubernetes does not know in a value: warn on the source, skip the value as bad,
    /// or ignore them. The silo sets it from <c>OrleansConfig:Validation:FieldValidation</c>.</summary>
    public FieldValidation FieldValidation { get; set; } = FieldValidation.Warn;

    /// <summary>The etcd user, for etcd's password authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The etcd user's password.</summary>
    public string? Password { get; set; }

    /// <summary>PEM file of the CA that signed etcd's server certificate (default: the system's trust store).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate and its key, for etcd's <c>--client-cert-auth</c>.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM file of the key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// The largest gRPC message taken from etcd (gRPC's own default is 4 MiB). A list page over it is read again in
    /// smaller pages, and watches ask etcd to fragment large responses; one value over it cannot be read, so it must
    /// exceed etcd's <c>--max-request-bytes</c> (1.5 MiB by default).
    /// </summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    internal const int DefaultMaxResponseBytes = 64 * 1024 * 1024;

    // Not bound from configuration: tuned by tests.
    internal TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    // A change should show within about a second of etcd coming back, so retries stay frequent (and jittered).
    internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);
    internal TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    internal int ListPageSize { get; set; } = 1000;

    internal string[] EndpointList =>
        (Endpoints ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

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
