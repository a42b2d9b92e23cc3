namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>One step of a generated history: an update from a source, or a restart of every idle grain.</summary>
internal sealed record ModelOperation(string Source, bool Endpoints, Operation Op, (string Namespace, string Name, int Variant)[] Items,
    bool Restart)
{
    public override string ToString() => Restart
        ? "restart"
        : $"{Source} {(Endpoints ? "endpoints" : "services")} {Op} " +
            $"[{string.Join(", ", Items.Select(i => $"{i.Namespace}/{i.Name}#{i.Variant}"))}]";

    public static Service Service(string ns, string name, int variant) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = 8000 + variant }] },
    };

    public static Endpoints Endpoint(string ns, string name, int variant) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Subsets = [
            new EndpointSubset { Addresses = [new EndpointAddress { Ip = $"10.0.0.{variant}" }],
            Ports = [new EndpointPort { Port = 8080 }] }],
    };

    /// <summary>What tells two versions of an item apart, for comparing with the model.</summary>
    public static string Content(IConfigItem item) => item switch
    {
        Service s => s.Spec.Ports[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Endpoints e => e.Subsets[0].Addresses[0].Ip,
        _ => "",
    };

    public SourceUpdate ToUpdate() => Endpoints
        ? new EndpointsUpdate(Op, [.. Items.Select(i => Endpoint(i.Namespace, i.Name, i.Variant))])
        : new ServiceUpdate(Op, [.. Items.Select(i => Service(i.Namespace, i.Name, i.Variant))]);
}
