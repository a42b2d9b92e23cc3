namespace OrleansConfig;

/// <summary>How a client connects to an OrleansConfig cluster: <c>clientBuilder.AddOrleansConfigClient(o => ...)</c>.</summary>
public sealed class OrleansConfigClientOptions
{
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
