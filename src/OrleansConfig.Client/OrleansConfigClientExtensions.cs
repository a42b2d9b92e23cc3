using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using OrleansConfig.Client;
using OrleansConfig.Security;

namespace OrleansConfig;

/// <summary>Registers OrleansConfig's client parts on an Orleans client builder.</summary>
public static class OrleansConfigClientExtensions
{
    /// <summary>
    /// Registers what a client needs to follow the union (the union stream's provider and reconnect events) and the
    /// OrleansConfig silo's defaults: cluster id <c>orleans-config</c> and the gateway 127.0.0.1:30000 unless the
    /// configuration (<c>Orleans:ClusterId</c>, <c>Orleans:Clustering:*</c>, <c>ORLEANS_CONFIG_GATEWAY</c>) or code says
    /// otherwise. A gateway of another cluster fails the start at once with <see cref="ClusterIdMismatchException"/>.
    /// </summary>
    public static IClientBuilder AddOrleansConfigClient(this IClientBuilder builder) => builder.AddOrleansConfigClient(configure: null);

    /// <summary>
    /// As <see cref="AddOrleansConfigClient(IClientBuilder)"/>, with connection options: gateways, ids, and mutual TLS
    /// when the certificate, key and CA are given. TLS files that cannot be used throw <see cref="ArgumentException"/>
    /// naming the option.
    /// </summary>
    public static IClientBuilder AddOrleansConfigClient(this IClientBuilder builder, Action<OrleansConfigClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new OrleansConfigClientOptions();
        configure?.Invoke(options);
        var files = new TlsFiles(options.TlsCertificatePath, options.TlsKeyPath, options.TlsCaPath)
        {
            CertificateSetting = nameof(options.TlsCertificatePath),
            KeySetting = nameof(options.TlsKeyPath),
            CaSetting = nameof(options.TlsCaPath),
        };
        if (files.Any)
        {
            try
            {
                builder.UseClusterTls(ClusterCertificates.Load(files, ownChainsToCa: false));
            }
            catch (CertificateSettingsException ex)
            {
                throw new ArgumentException(ex.Message, nameof(configure), ex);
            }
        }

        // Idempotent: a second call would register the stream provider and the connection handlers twice.
        if (builder.Services.Any(d => d.ServiceType == typeof(ClusterConnectionEvents))) return builder;

        ClientDefaults.Apply(builder, options);

        builder.Services.TryAddSingleton<ClusterConnectionEvents>();
        // A client only subscribes: the silos' pulling agents deliver to it, so any persistent-stream provider
        // of that name will do here; the silos run the union's own waiting queue (OrleansConfigSilo).
        builder.AddMemoryStreams(UnionStream.ProviderName);
        builder.AddClusterConnectionLostHandler(sp =>
        {
            var events = sp.GetRequiredService<ClusterConnectionEvents>();
            return (_, _) => events.OnConnectionLost();
        });
        builder.AddGatewayCountChangedHandler(sp =>
        {
            var events = sp.GetRequiredService<ClusterConnectionEvents>();
            return (_, e) => events.OnGatewayCountChanged(e.NumberOfConnectedGateways, e.PreviousNumberOfConnectedGateways);
        });
        return builder;
    }
}
