using System.Net;

namespace OrleansConfig.Client;

/// <summary>
/// The addresses a consumer routes one port to, by kube-proxy's rule (KEP-1669): the ready ones; when the port has none
/// ready, the ones that are serving and terminating, so a rolling update drains instead of failing; never a not-ready
/// address that is not serving. <see cref="Terminating"/> says the second case applies.
/// </summary>
/// <param name="Addresses"><c>ip:port</c> (<c>[ip]:port</c> for IPv6), without duplicates, by address then port.</param>
/// <param name="Terminating">True when <paramref name="Addresses"/> are the serving-and-terminating fallback.</param>
internal sealed record EndpointSelection(IReadOnlyList<string> Addresses, bool Terminating)
{
    /// <summary>No address to route to.</summary>
    public static EndpointSelection None { get; } = new(ValueList<string>.Empty, false);

    /// <summary>
    /// The addresses of <paramref name="endpoints"/> at every subset's endpoint port named <paramref name="portName"/>
    /// (<c>""</c> for the unnamed one) with <paramref name="protocol"/>. Addresses that are not IPs are left out.
    /// </summary>
    public static EndpointSelection Of(Endpoints endpoints, string portName, string protocol)
    {
        HashSet<IPEndPoint> ready = [];
        HashSet<IPEndPoint> terminating = [];
        foreach (var subset in endpoints.Subsets)
        {
            var port = subset.Ports.FirstOrDefault(p =>
                string.Equals(p.Name ?? "", portName, StringComparison.Ordinal)
                && string.Equals(p.Protocol, protocol, StringComparison.OrdinalIgnoreCase));
            if (port is null) continue;
            foreach (var address in subset.Addresses)
            {
                if (IPAddress.TryParse(address.Ip, out var ip)) ready.Add(new IPEndPoint(ip, port.Port));
            }
            // Only needed when nothing is ready, but a port's ready addresses may sit in a later subset.
            foreach (var address in subset.NotReadyAddresses)
            {
                if (address.IsServing(ready: false) && address.IsTerminating && IPAddress.TryParse(address.Ip, out var ip))
                {
                    terminating.Add(new IPEndPoint(ip, port.Port));
                }
            }
        }
        if (ready.Count > 0) return new EndpointSelection(Sorted(ready), false);
        return terminating.Count > 0 ? new EndpointSelection(Sorted(terminating), true) : None;
    }

    private static ValueList<string> Sorted(HashSet<IPEndPoint> found) =>
        ValueList.From(found.Order(EndPointOrder.Instance).Select(e => e.ToString()));
}
