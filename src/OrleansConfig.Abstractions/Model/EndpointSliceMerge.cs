namespace OrleansConfig;

/// <summary>
/// Merges one source's EndpointSlices of a Service into that Service's <see cref="Endpoints"/>, as kube-proxy's
/// EndpointSliceCache does: one subset per distinct port list, addresses in IP order, an address listed by two
/// slices (one moving it to the other) counted once, ready winning over not ready. FQDN slices add no address.
/// </summary>
public static class EndpointSliceMerge
{
    /// <summary>
    /// The Endpoints of <paramref name="namespace"/>/<paramref name="service"/> from its slices (others are ignored);
    /// null when none of <paramref name="slices"/> belongs to it.
    /// </summary>
    public static Endpoints? Merge(string @namespace, string service, IEnumerable<EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var mine = slices
            .Where(s => s.Metadata.Namespace == @namespace && s.ServiceName == service)
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return mine.Count == 0 ? null : Build(@namespace, service, mine);
    }

    /// <summary>The Endpoints of every Service that <paramref name="slices"/> name, one per Service.</summary>
    public static IEnumerable<Endpoints> MergeAll(IEnumerable<EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        return slices
            .Where(s => s.ServiceName is not null)
            .GroupBy(s => new ObjectKey(s.Metadata.Namespace, s.ServiceName!))
            .OrderBy(g => g.Key)
            .Select(g => Build(g.Key.Namespace, g.Key.Name, g.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList()));
    }

    private static Endpoints Build(string @namespace, string service, List<EndpointSlice> slices)
    {
        // Port lists compare by content, in a canonical order, so slices that list the same ports share a subset.
        var subsets = new Dictionary<ValueList<EndpointPort>, Dictionary<string, (EndpointAddress Address, bool Ready)>>();
        var order = new List<ValueList<EndpointPort>>();
        foreach (var slice in slices)
        {
            if (slice.AddressType == EndpointSlice.AddressTypes.Fqdn) continue;
            var ports = ValueList.Create(slice.Ports.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port)
                .ThenBy(p => p.Protocol, StringComparer.Ordinal).ToArray());
            if (!subsets.TryGetValue(ports, out var addresses))
            {
                subsets[ports] = addresses = new Dictionary<string, (EndpointAddress, bool)>(StringComparer.Ordinal);
                order.Add(ports);
            }
            foreach (var endpoint in slice.Endpoints)
            {
                if (endpoint.Addresses.Count == 0) continue;
                var ready = endpoint.Conditions.Ready ?? true;
                var ip = endpoint.Addresses[0];
                if (addresses.TryGetValue(ip, out var seen) && (seen.Ready || !ready)) continue;
                addresses[ip] = (ToAddress(ip, endpoint, ready), ready);
            }
        }

        var result = new List<EndpointSubset>(order.Count);
        foreach (var ports in order)
        {
            var addresses = subsets[ports].Values.OrderBy(a => a.Address.Ip, StringComparer.Ordinal).ToList();
            if (addresses.Count == 0) continue;
            result.Add(new EndpointSubset
            {
                Addresses = ValueList.Create(addresses.Where(a => a.Ready).Select(a => a.Address).ToArray()),
                NotReadyAddresses = ValueList.Create(addresses.Where(a => !a.Ready).Select(a => a.Address).ToArray()),
                Ports = ports,
            });
        }
        return new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = @namespace, Name = service },
            Subsets = ValueList.Create(result.ToArray()),
        };
    }

    private static EndpointAddress ToAddress(string ip, SliceEndpoint endpoint, bool ready) => new()
    {
        Ip = ip,
        Hostname = endpoint.Hostname,
        NodeName = endpoint.NodeName,
        // Only what differs from the v1 reading is kept, so a slice and the v1 Endpoints that say the same compare equal.
        Serving = endpoint.Conditions.Serving is { } serving && serving != ready ? serving : null,
        Terminating = endpoint.Conditions.Terminating == true ? true : null,
        Zone = endpoint.Zone,
        ForZones = endpoint.ForZones,
        TargetRef = endpoint.TargetRef,
    };
}
