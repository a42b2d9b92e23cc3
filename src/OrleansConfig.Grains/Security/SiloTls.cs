using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OrleansConfig.Security;

/// <summary>
/// Mutual TLS on both of a silo's ports (Orleans' own TLS middleware): every peer's certificate must chain to the
/// cluster's CA; on the silo-to-silo port the peer must also be one of the silo identities.
/// </summary>
internal static class SiloTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder builder, ClusterCertificates certificates,
        IReadOnlySet<string> siloIdentities)
    {
        var silos = Options(certificates, peer => siloIdentities.Contains(ClusterCertificates.IdentityOf(peer)));
        var clients = Options(certificates, _ => true);
        builder.Configure<SiloConnectionOptions>(options =>
        {
            options.ConfigureSiloInboundConnection(connection => connection.UseServerTls(silos));
            options.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(silos));
            options.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(clients));
        });
        builder.Services.Configure<AccessOptions>(options => options.RequireIdentity = true);
        return builder;
    }

    internal static TlsOptions Options(ClusterCertificates certificates, Func<X509Certificate2, bool> admits) => new()
    {
        LocalCertificate = certificates.Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        // The cluster's own CA decides, not the machine's store; names are identities, not host names.
        RemoteCertificateValidation = (peer, _, _) => certificates.Trusts(peer, out _) && admits(peer),
    };
}
