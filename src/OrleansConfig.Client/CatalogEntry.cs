using System.Collections.Frozen;

namespace OrleansConfig;

/// <summary>
/// One resolved service of a <see cref="ServiceCatalog"/>: the Service of the winning source, that same source's
/// Endpoints, and the addresses each of its ports routes to. Two entries are equal when they hold the same key, source,
/// Service, Endpoints and other sources (the resolved ports follow from those).
/// </summary>
public sealed record CatalogEntry
{
    /// <summary>The service's <c>namespace/name</c>.</summary>
    public required ObjectKey Key { get; init; }

    /// <summary>
    /// The source whose Service (and Endpoints) this entry holds: the first of
    /// <see cref="ServiceCatalogOptions.SourcePriority"/> that publishes it, else the alphabetically first (ordinal).
    /// </summary>
    public required string Source { get; init; }

    /// <summary>The winning source's Service (tagged with its source annotation).</summary>
    public required Service Service { get; init; }

    /// <summary>
    /// The winning source's Endpoints of the same name; null when that source publishes none (another source's never
    /// stand in).
    /// </summary>
    public Endpoints? Endpoints { get; init; }

    /// <summary>
    /// Service port name (<c>""</c> for the unnamed port) → the addresses to route to, <c>ip:port</c> (<c>[ip]:port</c>
    /// for IPv6), of every subset's endpoint port with that name and protocol, without duplicates, by address then port:
    /// the ready ones; when none is ready, the serving-and-terminating ones (kube-proxy's fallback, KEP-1669; the port is
    /// then in <see cref="TerminatingPorts"/>). A port with neither maps to an empty list. Not-ready addresses that are
    /// not serving, and addresses that are not IPs, are left out.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Ports { get; init; }

    /// <summary>
    /// The port names whose <see cref="Ports"/> addresses are terminating (the fallback when none is ready); empty
    /// when every port routes to ready addresses.
    /// </summary>
    public IReadOnlySet<string> TerminatingPorts { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The other sources that also publish this Service, in priority order (empty: no conflict).</summary>
    public IReadOnlyList<string> OtherSources { get; init; } = [];

    /// <summary>True when more than one source publishes this Service.</summary>
    public bool HasConflict => OtherSources.Count > 0;

    /// <inheritdoc/>
    public bool Equals(CatalogEntry? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Key == other.Key
                && string.Equals(Source, other.Source, StringComparison.Ordinal)
                && Service.Equals(other.Service)
                && Equals(Endpoints, other.Endpoints)
                && OtherSources.SequenceEqual(other.OtherSources, StringComparer.Ordinal)));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Source, Service, Endpoints, OtherSources.Count);
}
