namespace OrleansConfig.Proxy;

/// <summary>One port of one Service, kube-proxy's <c>ServicePortName</c>: <c>namespace/name:port</c> (an unnamed port
/// has no suffix).</summary>
internal readonly record struct ServicePortName(ObjectKey Service, string Port) : IComparable<ServicePortName>
{
    public int CompareTo(ServicePortName other)
    {
        var byService = Service.CompareTo(other.Service);
        return byService != 0 ? byService : string.CompareOrdinal(Port, other.Port);
    }

    public override string ToString() => Port.Length == 0 ? Service.ToString() : $"{Service}:{Port}";
}
