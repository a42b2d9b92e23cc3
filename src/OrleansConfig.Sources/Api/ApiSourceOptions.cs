namespace OrleansConfig;

/// <summary>Settings of the Kubernetes API source, bound from <c>Sources:Api</c>.</summary>
public sealed class ApiSourceOptions
{
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

    // Not bound from configuration: tuned by tests.
    internal TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);
    internal TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The server ends each watch after this long (its <c>timeoutSeconds</c>); the source then watches again
    /// from where it was.</summary>
    internal TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Items per list request; the pages of one list are read at one resourceVersion.</summary>
    internal int ListPageSize { get; set; } = 500;

    /// <summary>Set by any of the keys that enable the source.</summary>
    internal bool Enabled => !string.IsNullOrWhiteSpace(Server) || !string.IsNullOrWhiteSpace(KubeconfigPath) || InCluster;
}
