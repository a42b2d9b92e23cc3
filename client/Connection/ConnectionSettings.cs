namespace OrleansConfig.Cli.Connection;

/// <summary>
/// How the CLI finds the cluster, as given on the command line: gateways (<c>--gateway</c>, repeatable), or the
/// silos' own Redis clustering (<c>--redis</c>), with <c>--cluster-id</c>/<c>--service-id</c> overriding the
/// environment's <c>Orleans__ClusterId</c>/<c>Orleans__ServiceId</c>.
/// </summary>
internal sealed record ConnectionSettings(IReadOnlyList<string> Gateways, string? Redis = null, string? ClusterId = null,
    string? ServiceId = null)
{
    public static readonly ConnectionSettings Default = new([]);

    /// <summary>
    /// False (a one-off command): of several gateways, only those that accept a connection now are used, so one that
    /// is down costs nothing. True (watch): all are kept, so one that comes back later can be failed over to.
    /// </summary>
    public bool KeepUnreachableGateways { get; init; }

    /// <summary>This client's certificate, key and the cluster's CA (<c>--tls-cert</c>, <c>--tls-key</c>,
    /// <c>--tls-ca</c>), for a cluster that runs mutual TLS.</summary>
    public OrleansConfig.Security.TlsFiles Tls { get; init; } = new(null, null, null);
}
