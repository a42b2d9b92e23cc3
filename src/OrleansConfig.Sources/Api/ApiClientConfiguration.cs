using System.Security.Cryptography.X509Certificates;
using k8s;

namespace OrleansConfig.Sources.Api;

/// <summary>Turns <see cref="ApiSourceOptions"/> into the KubernetesClient's configuration: kubeconfig or pod first,
/// then the explicit settings over it.</summary>
internal static class ApiClientConfiguration
{
    public static KubernetesClientConfiguration Build(ApiSourceOptions options)
    {
        var config = options switch
        {
            { InCluster: true } => KubernetesClientConfiguration.InClusterConfig(),
            { KubeconfigPath: { Length: > 0 } path } =>
                KubernetesClientConfiguration.BuildConfigFromConfigFile(path, NonEmpty(options.Context)),
            _ => new KubernetesClientConfiguration(),
        };
        if (NonEmpty(options.Server) is { } server) config.Host = server;
        if (NonEmpty(options.Token) is { } token)
        {
            // An explicit token wins over the kubeconfig's or the pod's (a token provider would be used first).
            config.TokenProvider = null;
            config.AccessToken = token;
            config.Username = null;
            config.Password = null;
        }
        if (NonEmpty(options.CaFile) is { } caFile) config.SslCaCerts = LoadCa(caFile);
        config.HttpClientTimeout = options.RequestTimeout;
        config.UserAgent = "orleans-config";
        return config;
    }

    public static X509Certificate2Collection LoadCa(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0) throw new InvalidDataException($"no PEM certificate in \"{path}\"");
        return certificates;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
