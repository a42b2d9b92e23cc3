namespace OrleansConfig;

/// <summary>How a client connects to an OrleansConfig cluster: <c>clientBuilder.AddOrleansConfigClient(o => ...)</c>.</summary>
public sealed class OrleansConfigClientOptions
{
    /// <summary>The cluster and service id the OrleansConfig silo uses unless configured otherwise.</summary>
    public const string DefaultClusterId = "orleans-config";

    /// <summary>The gateway of a silo run on its embedded default (<c>dotnet run --project silo</c>).</summary>
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>
    /// The gateways (<c>HOST:PORT</c>) to connect to when no clustering is configured (no <c>Orleans:Clustering</c>
    /// section, no <c>Use...Clustering()</c>). Default: <c>ORLEANS_CONFIG_GATEWAY</c> (comma-separated), as the CLI
    /// reads it, else <see cref="DefaultGateway"/>.
    /// </summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>
    /// The silos' cluster id when neither <c>Orleans:ClusterId</c> nor code sets one; default
    /// <see cref="DefaultClusterId"/>, as the silo and the CLI. The service id follows it unless set.
    /// </summary>
    public string? ClusterId { get; set; }

    /// <summary>The silos' service id when neither <c>Orleans:ServiceId</c> nor code sets one; default as
    /// <see cref="ClusterId"/>.</summary>
    public string? ServiceId { get; set; }

    /// <summary>
    /// This client's certificate (PEM) for a cluster that runs mutual TLS; with <see cref="TlsKeyPath"/> and
    /// <see cref="TlsCaPath"/>. The certificate's common name is the identity the cluster authorizes.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The private key (PEM) of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>The cluster's CA bundle (PEM): the silos' certificates must chain to it.</summary>
    public string? TlsCaPath { get; set; }
}
