using System.Globalization;
using k8s.Models;

namespace OrleansConfig.Sources.Api;

/// <summary>
/// Turns the KubernetesClient's <c>V1Service</c>, <c>V1Endpoints</c> and <c>V1EndpointSlice</c> into the model, keeping the fields
/// DESIGN.md lists and reading them as <see cref="Manifest.Parse(string)"/> reads the same JSON: empty strings
/// are absent, a missing namespace is <c>default</c>, a missing protocol is TCP, and the source annotation is dropped.
/// </summary>
internal static class V1ObjectMapper
{
    public static Service ToService(V1Service service) => new()
    {
        Metadata = ToMetadata(service.Metadata),
        Spec = service.Spec is { } spec ? ToSpec(spec) : new ServiceSpec(),
        Status = service.Status is { } status ? ToStatus(status) : null,
    };

    public static Endpoints ToEndpoints(V1Endpoints endpoints) => new()
    {
        Metadata = ToMetadata(endpoints.Metadata),
        Subsets = Map(endpoints.Subsets, subset => new EndpointSubset
        {
            Addresses = Map(subset.Addresses, ToAddress),
            NotReadyAddresses = Map(subset.NotReadyAddresses, ToAddress),
            Ports = Map(subset.Ports, port => new EndpointPort
            {
                Name = NonEmpty(port.Name),
                Port = port.Port,
                Protocol = NonEmpty(port.Protocol) ?? "TCP",
            }),
        }),
    };

    public static EndpointSlice ToEndpointSlice(V1EndpointSlice slice) => new()
    {
        Metadata = ToMetadata(slice.Metadata),
        AddressType = NonEmpty(slice.AddressType) ?? EndpointSlice.AddressTypes.IPv4,
        Endpoints = Map(slice.Endpoints, endpoint => new SliceEndpoint
        {
            Addresses = ValueList.From(endpoint.Addresses),
            Conditions = endpoint.Conditions is { } conditions
                ? new EndpointConditions { Ready = conditions.Ready, Serving = conditions.Serving, Terminating = conditions.Terminating }
                : new EndpointConditions(),
            Hostname = NonEmpty(endpoint.Hostname),
            TargetRef = ToReference(endpoint.TargetRef),
            NodeName = NonEmpty(endpoint.NodeName),
            Zone = NonEmpty(endpoint.Zone),
            ForZones = Map(endpoint.Hints?.ForZones, zone => zone.Name ?? ""),
        }),
        Ports = Map(slice.Ports, port => new EndpointPort
        {
            Name = NonEmpty(port.Name),
            // A slice port without a number means "all ports"; the model's 0 is then refused as a bad port.
            Port = port.Port ?? 0,
            Protocol = NonEmpty(port.Protocol) ?? "TCP",
        }),
    };

    private static ObjectMeta ToMetadata(V1ObjectMeta? metadata) => new()
    {
        Name = metadata?.Name ?? "",
        Namespace = NonEmpty(metadata?.NamespaceProperty) ?? ObjectMeta.DefaultNamespace,
        Labels = ValueMap.From(metadata?.Labels),
        Annotations = ValueMap.From(metadata?.Annotations).Without(ConfigItemExtensions.SourceAnnotation),
    };

    private static ServiceSpec ToSpec(V1ServiceSpec spec) => new()
    {
        Type = NonEmpty(spec.Type),
        ClusterIP = NonEmpty(spec.ClusterIP),
        ClusterIPs = ValueList.From(spec.ClusterIPs),
        Ports = Map(spec.Ports, port => new ServicePort
        {
            Name = NonEmpty(port.Name),
            Protocol = NonEmpty(port.Protocol) ?? "TCP",
            Port = port.Port,
            TargetPort = ToIntOrString(port.TargetPort),
            NodePort = port.NodePort,
            AppProtocol = NonEmpty(port.AppProtocol),
        }),
        Selector = ValueMap.From(spec.Selector),
        SessionAffinity = NonEmpty(spec.SessionAffinity),
        SessionAffinityConfig = spec.SessionAffinityConfig is { } config
            ? new SessionAffinityConfig { ClientIP = config.ClientIP is { } clientIP
                ? new ClientIPConfig { TimeoutSeconds = clientIP.TimeoutSeconds } : null }
            : null,
        ExternalIPs = ValueList.From(spec.ExternalIPs),
        ExternalName = NonEmpty(spec.ExternalName),
        ExternalTrafficPolicy = NonEmpty(spec.ExternalTrafficPolicy),
        InternalTrafficPolicy = NonEmpty(spec.InternalTrafficPolicy),
        LoadBalancerIP = NonEmpty(spec.LoadBalancerIP),
    };

    private static ServiceStatus ToStatus(V1ServiceStatus status) => new()
    {
        LoadBalancer = status.LoadBalancer is { } loadBalancer
            ? new LoadBalancerStatus
            {
                Ingress = Map(loadBalancer.Ingress, ingress =>
                    new LoadBalancerIngress { Ip = NonEmpty(ingress.Ip), Hostname = NonEmpty(ingress.Hostname) }),
            }
            : null,
    };

    private static EndpointAddress ToAddress(V1EndpointAddress address) => new()
    {
        Ip = address.Ip ?? "",
        Hostname = NonEmpty(address.Hostname),
        NodeName = NonEmpty(address.NodeName),
        TargetRef = ToReference(address.TargetRef),
    };

    private static ObjectReference? ToReference(V1ObjectReference? reference) => reference is null ? null : new ObjectReference
    {
        Kind = NonEmpty(reference.Kind),
        Namespace = NonEmpty(reference.NamespaceProperty),
        Name = NonEmpty(reference.Name),
        Uid = NonEmpty(reference.Uid),
    };

    // The client reads both 8080 and "8080" as the text "8080"; Kubernetes requires a named port to hold a letter.
    private static IntOrString? ToIntOrString(k8s.Models.IntOrString? value) => value?.Value switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
        var text => text,
    };

    private static ValueList<TOut> Map<TIn, TOut>(IList<TIn>? items, Func<TIn, TOut> map) =>
        items is null or { Count: 0 } ? ValueList<TOut>.Empty : ValueList.Create<TOut>([.. items.Select(map)]);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
