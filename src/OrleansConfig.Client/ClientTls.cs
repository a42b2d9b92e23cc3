using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using OrleansConfig.Security;

namespace OrleansConfig.Client;

/// <summary>Mutual TLS to the gateways: this client's certificate out, and only a silo of the cluster's CA trusted.</summary>
internal static class ClientTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public static IClientBuilder UseClusterTls(this IClientBuilder builder, ClusterCertificates certificates) =>
        builder.UseTls(certificates.Certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            // The cluster's CA decides, and the peer must be a server: another client's certificate cannot pose as a gateway.
            options.RemoteCertificateValidation = (peer, _, _) => certificates.Trusts(peer, out _) && IsServer(peer);
        });

    private static bool IsServer(X509Certificate2 peer)
    {
        var usages = peer.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        return usages is null
            || usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(u => u.Value == ServerAuthentication);
    }
}
